/**
 * A revocation could not be recorded because Redis did not answer. Transient, so the HTTP layer
 * answers 503 with Retry-After: whatever the revocation was for (an account deletion) must not
 * go ahead while the tokens it should invalidate would stay valid.
 */
export class RevocationUnavailableError extends Error {
  readonly code = 'AUTH.REVOCATION_UNAVAILABLE';
  readonly transient = true;
  /** Named in the 503 problem the platform answers with. */
  readonly dependency = 'redis';

  constructor(options?: ErrorOptions) {
    super('the revocation could not be recorded; try again later', options);
    this.name = 'RevocationUnavailableError';
  }
}
