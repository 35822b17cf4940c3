import { IdempotencyKey } from './idempotency-key.js';
import { IdempotencyKeyRequiredError, InvalidIdempotencyKeyError } from './idempotency.errors.js';

describe('IdempotencyKey', () => {
  it('accepts a UUID and keeps it as sent, trimmed', () => {
    expect(IdempotencyKey.parse(' 3f1c2a9e-0d4b-4c55-a1f2-6b7c8d9e0f12 ').value).toBe(
      '3f1c2a9e-0d4b-4c55-a1f2-6b7c8d9e0f12',
    );
  });

  it.each([undefined, '', '   '])('requires a key (%p)', (raw) => {
    expect(() => IdempotencyKey.parse(raw)).toThrow(IdempotencyKeyRequiredError);
  });

  it.each(['has space', 'x'.repeat(256), 'naïve'])('refuses the malformed key %p', (raw) => {
    expect(() => IdempotencyKey.parse(raw)).toThrow(InvalidIdempotencyKeyError);
  });
});
