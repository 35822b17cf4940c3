import { isTransient } from './is-transient.js';
import { CircuitOpenError, RetriesExhaustedError, TimeoutError } from './resilience.errors.js';

class ProviderUnavailableError extends Error {
  readonly transient = true;
}

class CardDeclinedError extends Error {
  readonly code = 'PAYMENTS.CARD_DECLINED';
}

const networkError = (code: string): Error => Object.assign(new Error(code), { code });

describe('isTransient', () => {
  it.each([
    ['a timeout', new TimeoutError(100)],
    ['an open breaker', new CircuitOpenError('payment-provider', 1_000)],
    ['an exhausted retry budget', new RetriesExhaustedError(3, new TimeoutError(100))],
    ['an error marked transient', new ProviderUnavailableError('503')],
    ['a refused connection', networkError('ECONNREFUSED')],
    ['a reset connection', networkError('ECONNRESET')],
    [
      'fetch failing on a socket',
      new TypeError('fetch failed', { cause: networkError('ECONNRESET') }),
    ],
  ])('treats %s as transient', (_name, error) => {
    expect(isTransient(error)).toBe(true);
  });

  it.each([
    ['a card decline', new CardDeclinedError('declined')],
    ['a programming error', new TypeError('cannot read properties of undefined')],
    ['an unknown host', networkError('ENOTFOUND')],
    ['a caller abort', new DOMException('aborted', 'AbortError')],
    ['a thrown string', 'boom'],
    ['undefined', undefined],
  ])('treats %s as permanent', (_name, error) => {
    expect(isTransient(error)).toBe(false);
  });
});
