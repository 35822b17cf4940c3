import type { Role } from '#lib/contracts';

/** The caller of an authenticated request, taken from a verified access token. */
export interface AuthenticatedUser {
  /** The user's id (`sub` claim). */
  readonly id: string;
  readonly roles: readonly Role[];
  /** The access token's id (`jti` claim), for audit logs and revocation. */
  readonly tokenId: string;
}
