import Opossum from 'opossum';
import { isTransient, type TransientErrorPredicate } from './is-transient.js';
import { CircuitOpenError, RetriesExhaustedError, TimeoutError } from './resilience.errors.js';

export type CircuitState = 'closed' | 'half_open' | 'open';

/**
 * How one call through a breaker ended. `permanent_error` is an answer from a healthy callee (a card
 * decline): it reaches the caller but does not count against the breaker. `short_circuited` calls
 * never reached the callee.
 */
export type CallOutcome = 'success' | 'failure' | 'timeout' | 'permanent_error' | 'short_circuited';

export const CALL_OUTCOMES: readonly CallOutcome[] = [
  'success',
  'failure',
  'timeout',
  'permanent_error',
  'short_circuited',
];

export interface CircuitBreakerOptions {
  /** The breaker opens when more than this percentage of calls in the window failed. */
  errorThresholdPercentage: number;
  /** Calls the window must hold before the percentage counts, so a single early failure cannot open it. */
  volumeThreshold: number;
  /** How long the breaker stays open before it lets one trial call through (half-open). */
  resetTimeoutMs: number;
  /** The rolling window the percentage is computed over; 10 s by default. */
  rollingWindowMs?: number;
  /** Which errors count as the callee failing; by default the transient ones. */
  isFailure?: TransientErrorPredicate;
}

/** Told about every transition and every call, e.g. to export metrics and log. */
export interface CircuitBreakerObserver {
  stateChanged(breaker: string, from: CircuitState, to: CircuitState): void;
  callCompleted(breaker: string, outcome: CallOutcome): void;
}

const UNOBSERVED: CircuitBreakerObserver = { stateChanged: () => {}, callCompleted: () => {} };

// Opossum's own refusals: open, and shut down with the application.
const REFUSAL_CODES = new Set(['EOPENBREAKER', 'ESHUTDOWN']);

type Call = () => Promise<void>;

/**
 * A named circuit breaker over opossum. It adds what opossum leaves out: a typed CircuitOpenError,
 * a failure predicate so permanent errors do not trip it, and an observer for state and outcomes.
 * Opossum's own timeout is off: attempts are timed by `withTimeout`, which can abort them.
 */
export class CircuitBreaker {
  private readonly breaker: Opossum<[Call], void>;
  private readonly isFailure: TransientErrorPredicate;
  private readonly resetTimeoutMs: number;
  private current: CircuitState = 'closed';

  constructor(
    readonly name: string,
    options: CircuitBreakerOptions,
    private readonly observer: CircuitBreakerObserver = UNOBSERVED,
  ) {
    this.isFailure = options.isFailure ?? isTransient;
    this.resetTimeoutMs = options.resetTimeoutMs;
    this.breaker = new Opossum((call: Call) => call(), {
      name,
      timeout: false,
      errorThresholdPercentage: options.errorThresholdPercentage,
      volumeThreshold: options.volumeThreshold,
      resetTimeout: options.resetTimeoutMs,
      rollingCountTimeout: options.rollingWindowMs ?? 10_000,
      // Opossum's "filter" means "not a failure".
      errorFilter: (error: unknown) => !this.isFailure(error),
    });
    this.breaker.on('open', () => this.moveTo('open'));
    this.breaker.on('halfOpen', () => this.moveTo('half_open'));
    this.breaker.on('close', () => this.moveTo('closed'));
  }

  get state(): CircuitState {
    return this.current;
  }

  /** Runs `call` unless the breaker is open, in which case it throws CircuitOpenError at once. */
  async fire<T>(call: () => Promise<T>): Promise<T> {
    let result: T | undefined;
    try {
      await this.breaker.fire(async () => {
        result = await call();
      });
    } catch (error) {
      if (isRefusal(error)) {
        this.observer.callCompleted(this.name, 'short_circuited');
        throw new CircuitOpenError(this.name, this.resetTimeoutMs);
      }
      this.observer.callCompleted(this.name, this.outcomeOf(error));
      throw error;
    }
    this.observer.callCompleted(this.name, 'success');
    return result as T;
  }

  /** Stops the breaker's timers; later calls are refused. */
  shutdown(): void {
    this.breaker.shutdown();
  }

  private outcomeOf(error: unknown): CallOutcome {
    if (!this.isFailure(error)) return 'permanent_error';
    const timedOut =
      error instanceof TimeoutError ||
      (error instanceof RetriesExhaustedError && error.cause instanceof TimeoutError);
    return timedOut ? 'timeout' : 'failure';
  }

  private moveTo(next: CircuitState): void {
    const previous = this.current;
    if (previous === next) return;
    this.current = next;
    this.observer.stateChanged(this.name, previous, next);
  }
}

function isRefusal(error: unknown): boolean {
  return (
    error instanceof Error &&
    Opossum.isOurError(error) &&
    REFUSAL_CODES.has(String((error as NodeJS.ErrnoException).code))
  );
}
