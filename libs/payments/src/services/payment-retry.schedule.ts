import { CircuitOpenError, equalJitterDelay, type Random } from '#lib/resilience';
import { PaymentSettings } from './payment-settings.js';

/**
 * When a charge or refund that got no answer is tried again. Exponential with "equal jitter" (half
 * the delay fixed, half random), so that payments failed together by an outage spread out instead
 * of hammering the provider together when it returns. An open breaker already says when it will
 * let a trial call through: wait that long (plus jitter) rather than count it as another failure.
 */
export class PaymentRetrySchedule {
  constructor(
    private readonly settings: PaymentSettings,
    private readonly random: Random = Math.random,
  ) {}

  /** `attempt` is the attempt that just failed (1-based). */
  retryAt(attempt: number, error: unknown, now: Date): Date {
    return new Date(now.getTime() + this.delayMs(attempt, error));
  }

  delayMs(attempt: number, error: unknown): number {
    const { retryBaseMs, retryMaxMs } = this.settings;
    if (error instanceof CircuitOpenError) {
      return Math.round(
        error.retryAfterMs + this.random() * Math.min(error.retryAfterMs, retryBaseMs),
      );
    }
    return equalJitterDelay(
      Math.max(1, attempt),
      { baseDelayMs: retryBaseMs, maxDelayMs: retryMaxMs },
      this.random,
    );
  }
}
