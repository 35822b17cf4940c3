import { type BackoffOptions, fullJitterDelay, type Random } from './full-jitter-backoff.js';
import {
  isTransient as isTransientByDefault,
  type TransientErrorPredicate,
} from './is-transient.js';
import { RetriesExhaustedError } from './resilience.errors.js';
import { abortReason, type Sleep, sleep as realSleep } from './sleep.js';

export interface RetryOptions extends BackoffOptions {
  /** Attempts in all, the first included: 3 means one call and at most two retries. */
  maxAttempts: number;
}

export interface RetryEvent {
  /** The attempt that just failed (1-based). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: unknown;
}

export interface RetryWithBackoffOptions extends RetryOptions {
  isTransient?: TransientErrorPredicate;
  /** The caller's signal: once aborted, no further attempt starts and a pending delay ends. */
  signal?: AbortSignal;
  sleep?: Sleep;
  random?: Random;
  onRetry?: (event: RetryEvent) => void;
}

/**
 * Calls `operation` until it succeeds, retrying only transient failures, with full-jitter
 * exponential delays between attempts. A permanent failure is rethrown untouched on the spot; when
 * the budget runs out the last transient failure is wrapped in a RetriesExhaustedError.
 */
export async function retryWithBackoff<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryWithBackoffOptions,
): Promise<T> {
  const {
    maxAttempts,
    isTransient = isTransientByDefault,
    signal,
    sleep = realSleep,
    random = Math.random,
    onRetry,
  } = options;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  }

  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!isTransient(error)) throw error;
      if (attempt >= maxAttempts) throw new RetriesExhaustedError(attempt, error);
      if (signal?.aborted) throw abortReason(signal);
      const delayMs = fullJitterDelay(attempt, options, random);
      onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, signal);
    }
  }
}
