import { DomainError } from '#lib/kernel';

/** Unknown, expired or revoked: the client must log in again. */
export class InvalidRefreshTokenError extends DomainError {
  readonly code = 'IDENTITY.INVALID_REFRESH_TOKEN';
  readonly kind = 'unauthorized';

  constructor() {
    super('The refresh token is invalid, expired or revoked');
  }
}

/**
 * A refresh token was presented after it had been rotated: either the client or an attacker holds
 * a stolen copy, and the server cannot tell which, so the whole family has been revoked.
 */
export class RefreshTokenReuseDetectedError extends DomainError {
  readonly code = 'IDENTITY.REFRESH_TOKEN_REUSED';
  readonly kind = 'unauthorized';

  constructor() {
    super('The refresh token was already used; every session token of its family is revoked');
  }
}
