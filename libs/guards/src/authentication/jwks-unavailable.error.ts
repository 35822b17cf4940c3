/**
 * Identity's key set could not be fetched, and the token's key is not in the cache: the token
 * can be neither accepted nor called invalid. Transient, so the HTTP layer answers 503 with
 * Retry-After (ADR 0018): a 401 would send every client to log in again against the very
 * service that is down, and would report an outage as bad credentials.
 */
export class JwksUnavailableError extends Error {
  readonly code = 'AUTH.JWKS_UNAVAILABLE';
  readonly transient = true;

  constructor(
    url: string,
    /** When a new fetch may be tried (the cooldown), for the Retry-After header. */
    readonly retryAfterSeconds: number,
  ) {
    super(`the signing keys at ${url} cannot be fetched`);
    this.name = 'JwksUnavailableError';
  }
}
