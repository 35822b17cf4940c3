import {
  LoginAttemptLimiter,
  type LoginAttemptVerdict,
} from '../services/ports/login-attempt-limiter.port.js';

/** Test double: a fixed budget per account and per address, with no window. */
export class InMemoryLoginAttemptLimiter extends LoginAttemptLimiter {
  private readonly hits = new Map<string, number>();

  constructor(
    private readonly limitPerAccount: number,
    private readonly limitPerIp: number,
    private readonly retryAfterSeconds = 60,
  ) {
    super();
  }

  async registerAttempt(attempt: {
    account: string;
    clientIp: string;
  }): Promise<LoginAttemptVerdict> {
    const accountHits = this.count(`account:${attempt.account}`);
    const ipHits = this.count(`ip:${attempt.clientIp}`);
    return accountHits > this.limitPerAccount || ipHits > this.limitPerIp
      ? { allowed: false, retryAfterSeconds: this.retryAfterSeconds }
      : { allowed: true };
  }

  private count(key: string): number {
    const hits = (this.hits.get(key) ?? 0) + 1;
    this.hits.set(key, hits);
    return hits;
  }
}
