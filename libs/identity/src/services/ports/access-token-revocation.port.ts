/**
 * Revokes every access token of a user issued so far, in every app, until they would have
 * expired anyway. RevokedSubjects (#lib/guards) implements it; it is also the DI token.
 */
export abstract class AccessTokenRevocation {
  /** Throws a transient error when the revocation could not be recorded. */
  abstract revoke(userId: string): Promise<void>;
}
