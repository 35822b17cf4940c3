import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '#lib/config';
import { RedisThrottlerStorage } from '#lib/guards';
import {
  LoginAttemptLimiter,
  type LoginAttemptVerdict,
} from '../services/ports/login-attempt-limiter.port.js';

/** Redis keys name a hash of the account, so the store holds no email addresses. */
const keyOf = (value: string): string =>
  createHash('sha256').update(value, 'utf8').digest('base64url').slice(0, 32);

/**
 * Login limits on the shared Redis throttler storage, so every replica counts against one budget:
 * LOGIN_THROTTLE_LIMIT_PER_ACCOUNT and LOGIN_THROTTLE_LIMIT_PER_IP attempts per
 * LOGIN_THROTTLE_WINDOW_MS; past a limit, the account or address is blocked for one more window.
 * When Redis fails the storage lets attempts through (password hashing still slows guessing).
 */
@Injectable()
export class RedisLoginAttemptLimiter extends LoginAttemptLimiter {
  constructor(
    private readonly storage: RedisThrottlerStorage,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async registerAttempt(attempt: {
    account: string;
    clientIp: string;
  }): Promise<LoginAttemptVerdict> {
    const { loginLimitPerAccount, loginLimitPerIp, loginWindowMs } = this.config.throttle;
    const [account, address] = await Promise.all([
      this.storage.increment(
        keyOf(attempt.account),
        loginWindowMs,
        loginLimitPerAccount,
        loginWindowMs,
        'login-account',
      ),
      this.storage.increment(
        attempt.clientIp,
        loginWindowMs,
        loginLimitPerIp,
        loginWindowMs,
        'login-ip',
      ),
    ]);
    const blocked = [account, address].filter((record) => record.isBlocked);
    if (blocked.length === 0) return { allowed: true };
    return {
      allowed: false,
      retryAfterSeconds: Math.max(...blocked.map((record) => record.timeToBlockExpire)),
    };
  }
}
