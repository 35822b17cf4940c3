import type { CircuitBreaker } from './circuit-breaker.js';
import type { Random } from './full-jitter-backoff.js';
import type { TransientErrorPredicate } from './is-transient.js';
import { type RetryEvent, type RetryOptions, retryWithBackoff } from './retry-with-backoff.js';
import type { Sleep } from './sleep.js';
import { withTimeout } from './with-timeout.js';

export interface ResiliencePolicyOptions {
  /** Budget of ONE attempt; when it runs out the attempt's signal aborts and it counts as transient. */
  timeoutMs: number;
  retry: RetryOptions;
  /** Which failures are retried; by default those marked transient, timeouts and network errors. */
  isTransient?: TransientErrorPredicate;
  onRetry?: (event: RetryEvent) => void;
  sleep?: Sleep;
  random?: Random;
}

export interface ExecuteOptions {
  /** The caller's signal (e.g. shutdown): aborting it stops the attempt and any further retry. */
  signal?: AbortSignal;
}

/**
 * How one outbound dependency is called: each attempt has a deadline, transient failures are
 * retried with full-jitter backoff, and a circuit breaker wraps the whole retried call, so a
 * dependency that stays down costs one breaker failure per call (not one per attempt) and, once
 * open, costs nothing at all. Permanent failures (a card decline) reach the caller untouched.
 */
export class ResiliencePolicy {
  constructor(
    readonly breaker: CircuitBreaker,
    private readonly options: ResiliencePolicyOptions,
  ) {}

  execute<T>(
    operation: (signal: AbortSignal) => Promise<T>,
    { signal }: ExecuteOptions = {},
  ): Promise<T> {
    const { timeoutMs, retry, ...retryDependencies } = this.options;
    return this.breaker.fire(() =>
      retryWithBackoff(() => withTimeout(operation, { timeoutMs, signal }), {
        ...retry,
        ...retryDependencies,
        signal,
      }),
    );
  }
}
