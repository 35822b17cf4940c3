import { type BackoffPolicy, LocalThrottlerStorage } from '#lib/guards';
import {
  type LoginAttempt,
  LoginAttemptLimiter,
  type LoginAttemptVerdict,
} from '../services/ports/login-attempt-limiter.port.js';

/**
 * Test double with the real rules (the throttler's in-process storage) on a test's clock:
 * `limitPerAccount` free attempts per account and source, `limitPerIp` per source, then waits of
 * `baseDelayMs` doubling each time.
 */
export class InMemoryLoginAttemptLimiter extends LoginAttemptLimiter {
  private readonly storage: LocalThrottlerStorage;
  private readonly perSource: BackoffPolicy;
  private readonly perAccountAndSource: BackoffPolicy;

  constructor(
    limitPerAccount: number,
    limitPerIp: number,
    now: () => number = Date.now,
    baseDelayMs = 1000,
  ) {
    super();
    this.storage = new LocalThrottlerStorage(now);
    const delays = { baseDelayMs, maxDelayMs: 3600_000, memoryMs: 3600_000 };
    this.perSource = { freeAttempts: limitPerIp, ...delays };
    this.perAccountAndSource = { freeAttempts: limitPerAccount, ...delays };
  }

  async registerAttempt(attempt: LoginAttempt): Promise<LoginAttemptVerdict> {
    const source = this.storage.backoff(`source:${attempt.clientIp}`, this.perSource);
    if (!source.allowed) return source;
    return this.storage.backoff(this.pairKey(attempt), this.perAccountAndSource);
  }

  async registerSuccess(attempt: LoginAttempt): Promise<void> {
    this.storage.clear(this.pairKey(attempt));
  }

  private pairKey({ account, clientIp }: LoginAttempt): string {
    return `pair:${account}\n${clientIp}`;
  }
}
