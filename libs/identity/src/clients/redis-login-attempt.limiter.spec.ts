import { generateKeyPairSync } from 'node:crypto';
import { loadConfig } from '#lib/config';
import type { RedisThrottlerStorage } from '#lib/guards';
import { RedisLoginAttemptLimiter } from './redis-login-attempt.limiter.js';

type Increment = RedisThrottlerStorage['increment'];

function storageAnswering(blocked: Record<string, number>) {
  const calls: Parameters<Increment>[] = [];
  const increment: Increment = async (key, ttl, limit, blockDuration, throttlerName) => {
    calls.push([key, ttl, limit, blockDuration, throttlerName]);
    const blockedFor = blocked[throttlerName];
    return {
      totalHits: 1,
      timeToExpire: 60,
      isBlocked: blockedFor !== undefined,
      timeToBlockExpire: blockedFor ?? 0,
    };
  };
  return { calls, storage: { increment } as unknown as RedisThrottlerStorage };
}

const config = loadConfig({
  NODE_ENV: 'test',
  JWT_PUBLIC_KEY: generateKeyPairSync('rsa', { modulusLength: 2048 })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString(),
  LOGIN_THROTTLE_LIMIT_PER_ACCOUNT: '3',
  LOGIN_THROTTLE_LIMIT_PER_IP: '7',
  LOGIN_THROTTLE_WINDOW_MS: '60000',
});

describe('RedisLoginAttemptLimiter', () => {
  it('counts each attempt once per account and once per address, with the configured limits', async () => {
    const { calls, storage } = storageAnswering({});
    const limiter = new RedisLoginAttemptLimiter(storage, config);
    await expect(
      limiter.registerAttempt({ account: 'ann@shop.example', clientIp: '10.0.0.1' }),
    ).resolves.toEqual({
      allowed: true,
    });
    expect(calls).toEqual([
      [expect.any(String), 60_000, 3, 60_000, 'login-account'],
      ['10.0.0.1', 60_000, 7, 60_000, 'login-ip'],
    ]);
    expect(calls[0][0]).not.toContain('ann');
  });

  it('uses one key per account whatever the attempt, and distinct keys for distinct accounts', async () => {
    const { calls, storage } = storageAnswering({});
    const limiter = new RedisLoginAttemptLimiter(storage, config);
    await limiter.registerAttempt({ account: 'ann@shop.example', clientIp: '10.0.0.1' });
    await limiter.registerAttempt({ account: 'ann@shop.example', clientIp: '10.0.0.2' });
    await limiter.registerAttempt({ account: 'bob@shop.example', clientIp: '10.0.0.1' });
    const accountKeys = calls.filter((call) => call[4] === 'login-account').map((call) => call[0]);
    expect(accountKeys[0]).toBe(accountKeys[1]);
    expect(accountKeys[2]).not.toBe(accountKeys[0]);
  });

  it.each([
    ['the account', { 'login-account': 40 }, 40],
    ['the address', { 'login-ip': 25 }, 25],
    ['both, waiting for the later unblock', { 'login-account': 40, 'login-ip': 90 }, 90],
  ])('refuses while %s is blocked', async (_case, blocked, retryAfterSeconds) => {
    const limiter = new RedisLoginAttemptLimiter(storageAnswering(blocked).storage, config);
    await expect(limiter.registerAttempt({ account: 'a', clientIp: 'b' })).resolves.toEqual({
      allowed: false,
      retryAfterSeconds,
    });
  });
});
