import { DomainError } from '#lib/kernel';

/** One error for an unknown account and for a wrong password, so responses do not reveal which. */
export class InvalidCredentialsError extends DomainError {
  readonly code = 'IDENTITY.INVALID_CREDENTIALS';
  readonly kind = 'unauthorized';

  constructor() {
    super('The username or password is incorrect');
  }
}

export class TooManyLoginAttemptsError extends DomainError {
  readonly code = 'IDENTITY.TOO_MANY_LOGIN_ATTEMPTS';
  readonly kind = 'rate_limited';

  constructor(readonly retryAfterSeconds: number) {
    super('Too many login attempts; try again later', { retryAfterSeconds });
  }
}
