import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ThrottleConfig } from '#lib/config';
import { type BackoffPolicy, RedisThrottlerStorage } from '#lib/guards';
import {
  type LoginAttempt,
  LoginAttemptLimiter,
  type LoginAttemptVerdict,
} from '../services/ports/login-attempt-limiter.port.js';

/** Redis keys name a hash of the account and source, so the store holds no email addresses. */
const pairKeyOf = ({ account, clientIp }: LoginAttempt): string =>
  createHash('sha256').update(`${account}\n${clientIp}`, 'utf8').digest('base64url').slice(0, 32);

export const LOGIN_SOURCE_LIMITER = 'login-source';
export const LOGIN_ACCOUNT_SOURCE_LIMITER = 'login-account-source';

/**
 * Login limits on the shared throttler storage, so every replica counts against one budget (and
 * each replica on its own while Redis is down): per source, LOGIN_THROTTLE_LIMIT_PER_IP attempts
 * go through at once, per account and source LOGIN_THROTTLE_LIMIT_PER_ACCOUNT; past them, waits
 * start at LOGIN_THROTTLE_BASE_DELAY_MS and double up to LOGIN_THROTTLE_MAX_DELAY_MS. Counts are
 * forgotten LOGIN_THROTTLE_WINDOW_MS after the last wait ends.
 */
@Injectable()
export class RedisLoginAttemptLimiter extends LoginAttemptLimiter {
  private readonly perSource: BackoffPolicy;
  private readonly perAccountAndSource: BackoffPolicy;

  constructor(
    private readonly storage: RedisThrottlerStorage,
    throttle: ThrottleConfig,
  ) {
    super();
    const {
      loginLimitPerAccount,
      loginLimitPerIp,
      loginWindowMs,
      loginBaseDelayMs,
      loginMaxDelayMs,
    } = throttle;
    const delays = {
      baseDelayMs: loginBaseDelayMs,
      maxDelayMs: loginMaxDelayMs,
      memoryMs: loginWindowMs,
    };
    this.perSource = { freeAttempts: loginLimitPerIp, ...delays };
    this.perAccountAndSource = { freeAttempts: loginLimitPerAccount, ...delays };
  }

  async registerAttempt(attempt: LoginAttempt): Promise<LoginAttemptVerdict> {
    const source = await this.storage.backoff(
      attempt.clientIp,
      this.perSource,
      LOGIN_SOURCE_LIMITER,
    );
    // Refused by the source's limit: not counted against the account.
    if (!source.allowed) return source;
    return this.storage.backoff(
      pairKeyOf(attempt),
      this.perAccountAndSource,
      LOGIN_ACCOUNT_SOURCE_LIMITER,
    );
  }

  async registerSuccess(attempt: LoginAttempt): Promise<void> {
    await this.storage.clear(pairKeyOf(attempt), LOGIN_ACCOUNT_SOURCE_LIMITER);
  }
}
