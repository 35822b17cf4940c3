import { throttleConfig } from '#lib/config';
import type { BackoffVerdict, RedisThrottlerStorage } from '#lib/guards';
import { RedisLoginAttemptLimiter } from './redis-login-attempt.limiter.js';

type Backoff = RedisThrottlerStorage['backoff'];

/** A storage that records calls and refuses the limiters named in `refused` (seconds to wait). */
function storageAnswering(refused: Record<string, number>) {
  const calls: Parameters<Backoff>[] = [];
  const cleared: [string, string][] = [];
  const backoff: Backoff = async (key, policy, limiter): Promise<BackoffVerdict> => {
    calls.push([key, policy, limiter]);
    const wait = refused[limiter];
    return wait === undefined ? { allowed: true } : { allowed: false, retryAfterSeconds: wait };
  };
  const clear = async (key: string, limiter: string): Promise<void> => {
    cleared.push([key, limiter]);
  };
  return { calls, cleared, storage: { backoff, clear } as unknown as RedisThrottlerStorage };
}

const config = throttleConfig.load({
  LOGIN_THROTTLE_LIMIT_PER_ACCOUNT: '3',
  LOGIN_THROTTLE_LIMIT_PER_IP: '7',
  LOGIN_THROTTLE_WINDOW_MS: '60000',
  LOGIN_THROTTLE_BASE_DELAY_MS: '2000',
  LOGIN_THROTTLE_MAX_DELAY_MS: '300000',
});

const ANN_FROM_ONE = { account: 'ann@shop.example', clientIp: '10.0.0.1' };

describe('RedisLoginAttemptLimiter', () => {
  it('counts each attempt per source and per account and source, with the configured policy', async () => {
    const { calls, storage } = storageAnswering({});
    const limiter = new RedisLoginAttemptLimiter(storage, config);
    await expect(limiter.registerAttempt(ANN_FROM_ONE)).resolves.toEqual({ allowed: true });
    const delays = { baseDelayMs: 2000, maxDelayMs: 300_000, memoryMs: 60_000 };
    expect(calls).toEqual([
      ['10.0.0.1', { freeAttempts: 7, ...delays }, 'login-source'],
      [expect.any(String), { freeAttempts: 3, ...delays }, 'login-account-source'],
    ]);
    expect(calls[1][0]).not.toContain('ann');
  });

  it('keys the account count by account and source together, never by the account alone', async () => {
    const { calls, storage } = storageAnswering({});
    const limiter = new RedisLoginAttemptLimiter(storage, config);
    await limiter.registerAttempt(ANN_FROM_ONE);
    await limiter.registerAttempt(ANN_FROM_ONE);
    await limiter.registerAttempt({ ...ANN_FROM_ONE, clientIp: '10.0.0.2' });
    await limiter.registerAttempt({ ...ANN_FROM_ONE, account: 'bob@shop.example' });
    const keys = calls.filter((call) => call[2] === 'login-account-source').map((call) => call[0]);
    expect(keys[1]).toBe(keys[0]);
    expect(new Set(keys).size).toBe(3);
  });

  it('does not count an attempt the source limit refused against the account', async () => {
    const { calls, storage } = storageAnswering({ 'login-source': 25 });
    const limiter = new RedisLoginAttemptLimiter(storage, config);
    await expect(limiter.registerAttempt(ANN_FROM_ONE)).resolves.toEqual({
      allowed: false,
      retryAfterSeconds: 25,
    });
    expect(calls.map((call) => call[2])).toEqual(['login-source']);
  });

  it('refuses while the account and source wait', async () => {
    const limiter = new RedisLoginAttemptLimiter(
      storageAnswering({ 'login-account-source': 40 }).storage,
      config,
    );
    await expect(limiter.registerAttempt(ANN_FROM_ONE)).resolves.toEqual({
      allowed: false,
      retryAfterSeconds: 40,
    });
  });

  it('forgets only the account and source count on success', async () => {
    const { calls, cleared, storage } = storageAnswering({});
    const limiter = new RedisLoginAttemptLimiter(storage, config);
    await limiter.registerAttempt(ANN_FROM_ONE);
    await limiter.registerSuccess(ANN_FROM_ONE);
    expect(cleared).toEqual([[calls[1][0], 'login-account-source']]);
  });
});
