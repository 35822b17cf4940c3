import { IdempotencyKeyRequiredError, InvalidIdempotencyKeyError } from './idempotency.errors.js';

const MAX_LENGTH = 255;
// Visible ASCII: what an HTTP header carries safely and a client can log without escaping.
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/** The client's name for one order request (the `Idempotency-Key` header); scoped per customer. */
export class IdempotencyKey {
  static readonly MAX_LENGTH = MAX_LENGTH;

  private constructor(readonly value: string) {}

  static parse(raw: string | undefined): IdempotencyKey {
    const value = raw?.trim();
    if (value === undefined || value === '') throw new IdempotencyKeyRequiredError();
    if (value.length > MAX_LENGTH || !VISIBLE_ASCII.test(value)) {
      throw new InvalidIdempotencyKeyError(MAX_LENGTH);
    }
    return new IdempotencyKey(value);
  }
}
