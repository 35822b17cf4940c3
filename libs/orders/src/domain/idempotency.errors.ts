import { DomainError } from '#lib/kernel';

export class IdempotencyKeyRequiredError extends DomainError {
  readonly code = 'ORDERS.IDEMPOTENCY_KEY_REQUIRED';
  readonly kind = 'validation';

  constructor() {
    super('The Idempotency-Key header is required: send a unique value (a UUID) per new order');
  }
}

export class InvalidIdempotencyKeyError extends DomainError {
  readonly code = 'ORDERS.INVALID_IDEMPOTENCY_KEY';
  readonly kind = 'validation';

  constructor(maxLength: number) {
    super(`The Idempotency-Key must be 1 to ${maxLength} visible ASCII characters`, { maxLength });
  }
}

/** The key was first used with another request body; a key names one request, not a slot (422). */
export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'ORDERS.IDEMPOTENCY_KEY_REUSED';
  readonly kind = 'unprocessable';

  constructor() {
    super(
      'This Idempotency-Key was already used with a different request body; use a new key for a new order',
    );
  }
}

/** The first request with this key is still being processed; retry shortly for its result (409). */
export class IdempotencyKeyInProgressError extends DomainError {
  readonly code = 'ORDERS.IDEMPOTENCY_KEY_IN_PROGRESS';
  readonly kind = 'conflict';

  constructor() {
    super('A request with this Idempotency-Key is still in progress; retry in a moment');
  }
}
