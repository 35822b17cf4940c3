import {
  RetriesExhaustedError,
  RESILIENCE_ERROR_CODES,
  TimeoutError,
} from './resilience.errors.js';
import { type RetryEvent, retryWithBackoff } from './retry-with-backoff.js';
import type { Sleep } from './sleep.js';

class ProviderUnavailableError extends Error {
  readonly transient = true;
}

class CardDeclinedError extends Error {
  readonly code = 'PAYMENTS.CARD_DECLINED';
}

/** A sleep that records the requested delays and returns at once. */
function recordingSleep(): { sleep: Sleep; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

/** An operation that fails with the given errors, in order, then succeeds. */
function failingThenSucceeding(...failures: Error[]): {
  operation: (attempt: number) => Promise<string>;
  attempts: number[];
} {
  const attempts: number[] = [];
  return {
    attempts,
    operation: async (attempt) => {
      attempts.push(attempt);
      const failure = failures[attempt - 1];
      if (failure) throw failure;
      return `succeeded on attempt ${attempt}`;
    },
  };
}

const budget = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 };

describe('retryWithBackoff', () => {
  it('retries transient failures until an attempt succeeds', async () => {
    const { sleep } = recordingSleep();
    const { operation, attempts } = failingThenSucceeding(
      new ProviderUnavailableError('503'),
      new TimeoutError(50),
    );

    await expect(retryWithBackoff(operation, { ...budget, sleep })).resolves.toBe(
      'succeeded on attempt 3',
    );
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('rethrows a permanent failure untouched, without a retry', async () => {
    const { sleep, delays } = recordingSleep();
    const decline = new CardDeclinedError('insufficient funds');
    const { operation, attempts } = failingThenSucceeding(decline);

    await expect(retryWithBackoff(operation, { ...budget, sleep })).rejects.toBe(decline);
    expect(attempts).toEqual([1]);
    expect(delays).toEqual([]);
  });

  it('stops at the budget and wraps the last transient failure as the cause', async () => {
    const { sleep } = recordingSleep();
    const last = new ProviderUnavailableError('503, fourth time');
    const { operation, attempts } = failingThenSucceeding(
      new ProviderUnavailableError('503'),
      new ProviderUnavailableError('503'),
      new ProviderUnavailableError('503'),
      last,
      new ProviderUnavailableError('never reached'),
    );

    const error = await retryWithBackoff(operation, { ...budget, sleep }).catch(
      (caught: unknown) => caught,
    );

    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error).toMatchObject({
      code: RESILIENCE_ERROR_CODES.RETRIES_EXHAUSTED,
      attempts: 4,
      cause: last,
    });
  });

  it('waits full-jitter exponential delays between attempts, capped at maxDelayMs', async () => {
    const { sleep, delays } = recordingSleep();
    const { operation } = failingThenSucceeding(
      ...Array.from({ length: 3 }, () => new ProviderUnavailableError('503')),
    );

    await retryWithBackoff(operation, { ...budget, sleep, random: () => 0.999_999 });
    expect(delays).toEqual([100, 200, 250]);

    const halfway = recordingSleep();
    await retryWithBackoff(
      failingThenSucceeding(new TimeoutError(1), new TimeoutError(1)).operation,
      {
        ...budget,
        sleep: halfway.sleep,
        random: () => 0.5,
      },
    );
    expect(halfway.delays).toEqual([50, 100]);
  });

  it('uses the given predicate to decide what is transient', async () => {
    const { sleep } = recordingSleep();
    const conflict = new Error('409 from provider, retry later');
    const { operation, attempts } = failingThenSucceeding(conflict);

    await expect(
      retryWithBackoff(operation, { ...budget, sleep, isTransient: (error) => error === conflict }),
    ).resolves.toBe('succeeded on attempt 2');
    expect(attempts).toEqual([1, 2]);
  });

  it('reports each retry with the failed attempt, its error and the delay chosen', async () => {
    const { sleep } = recordingSleep();
    const unavailable = new ProviderUnavailableError('503');
    const events: RetryEvent[] = [];

    await retryWithBackoff(failingThenSucceeding(unavailable).operation, {
      ...budget,
      sleep,
      random: () => 0.5,
      onRetry: (event) => events.push(event),
    });

    expect(events).toEqual([{ attempt: 1, delayMs: 50, error: unavailable }]);
  });

  it('starts no further attempt once the caller has aborted', async () => {
    const caller = new AbortController();
    const { operation, attempts } = failingThenSucceeding(new ProviderUnavailableError('503'));
    const abortingSleep: Sleep = async (_ms, signal) => {
      caller.abort(new Error('shutting down'));
      signal?.throwIfAborted();
    };

    await expect(
      retryWithBackoff(operation, { ...budget, sleep: abortingSleep, signal: caller.signal }),
    ).rejects.toThrow('shutting down');
    expect(attempts).toEqual([1]);
  });

  it('refuses a budget without a single attempt', async () => {
    await expect(
      retryWithBackoff(async () => 'never', { ...budget, maxAttempts: 0 }),
    ).rejects.toBeInstanceOf(RangeError);
  });
});
