import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { throttleConfig } from '#lib/config';
import { createRedisClient, type RedisClient } from '#lib/redis';
import { TEST_REDIS_URL } from '../../support/test-environment.js';
// The class files themselves: the package entry points pull in modules Jest cannot load.
import { RedisThrottlerStorage } from '../../../libs/guards/src/throttling/redis-throttler.storage.js';
import { RedisLoginAttemptLimiter } from '../../../libs/identity/src/clients/redis-login-attempt.limiter.js';

const FREE_FAILURES = 3;
// Above what one guesser below tries, so only the account-and-source count slows it.
const PER_SOURCE = 20;
const config = throttleConfig.load({
  LOGIN_THROTTLE_LIMIT_PER_ACCOUNT: String(FREE_FAILURES),
  LOGIN_THROTTLE_LIMIT_PER_IP: String(PER_SOURCE),
  LOGIN_THROTTLE_WINDOW_MS: '60000',
  LOGIN_THROTTLE_BASE_DELAY_MS: '1000',
  LOGIN_THROTTLE_MAX_DELAY_MS: '60000',
});

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

describe('login attempt limits on real Redis', () => {
  let redis: RedisClient;
  let limiter: RedisLoginAttemptLimiter;
  let serviceName: string;

  beforeAll(async () => {
    redis = createRedisClient(TEST_REDIS_URL, 'identity-login-limits-int-spec');
    if (redis.status !== 'ready') await once(redis, 'ready');
  });
  beforeEach(() => {
    // A fresh key prefix per test: no test sees another's counts.
    serviceName = `test-login-${randomUUID().slice(0, 8)}`;
    limiter = new RedisLoginAttemptLimiter(new RedisThrottlerStorage(redis, serviceName), config);
  });
  afterEach(async () => {
    const keys = await redis.keys(`throttle:${serviceName}:*`);
    if (keys.length > 0) await redis.del(...keys);
  });
  afterAll(async () => {
    await redis.quit();
  });

  const account = 'admin@shop.example';

  it('lets the owner in from another source however often a stranger guessed', async () => {
    for (let guess = 0; guess < 6; guess += 1) {
      await limiter.registerAttempt({ account, clientIp: '203.0.113.66' });
    }
    expect(await limiter.registerAttempt({ account, clientIp: '203.0.113.66' })).toMatchObject({
      allowed: false,
    });
    await expect(limiter.registerAttempt({ account, clientIp: '198.51.100.7' })).resolves.toEqual({
      allowed: true,
    });
  });

  it('makes a guesser wait longer after each failure, never counting refused attempts', async () => {
    const guesser = { account, clientIp: '203.0.113.67' };
    for (let free = 0; free < FREE_FAILURES; free += 1) {
      expect((await limiter.registerAttempt(guesser)).allowed).toBe(true);
    }
    const waits: number[] = [];
    while (waits.length < 3) {
      const verdict = await limiter.registerAttempt(guesser);
      if (verdict.allowed) continue;
      waits.push(verdict.retryAfterSeconds);
      // Hammering during the wait changes nothing...
      for (let hammer = 0; hammer < 3; hammer += 1) await limiter.registerAttempt(guesser);
      // ...and waiting as asked always earns another try.
      await sleep(verdict.retryAfterSeconds * 1000);
      expect((await limiter.registerAttempt(guesser)).allowed).toBe(true);
    }
    expect(waits).toEqual([1, 2, 4]);
  }, 30_000);

  it('does not count against an account the attempts its source limit refused', async () => {
    const busySource = '203.0.113.68';
    for (let attempt = 0; attempt < PER_SOURCE; attempt += 1) {
      await limiter.registerAttempt({
        account: `other-${attempt}@shop.example`,
        clientIp: busySource,
      });
    }
    for (let refused = 0; refused < 5; refused += 1) {
      expect((await limiter.registerAttempt({ account, clientIp: busySource })).allowed).toBe(
        false,
      );
    }
    const counts = await redis.keys(`throttle:${serviceName}:{login-account-source:*`);
    expect(counts.filter((key) => key.endsWith(':attempts'))).toHaveLength(PER_SOURCE);
  });

  it("forgets the owner's typos from a source once they log in there", async () => {
    const owner = { account, clientIp: '198.51.100.8' };
    for (let typo = 0; typo < FREE_FAILURES - 1; typo += 1) await limiter.registerAttempt(owner);
    await limiter.registerSuccess(owner);
    for (let attempt = 0; attempt < FREE_FAILURES; attempt += 1) {
      expect((await limiter.registerAttempt(owner)).allowed).toBe(true);
    }
  });

  it('shares the counts between replicas', async () => {
    const replica = new RedisLoginAttemptLimiter(
      new RedisThrottlerStorage(redis, serviceName),
      config,
    );
    const guesser = { account, clientIp: '203.0.113.69' };
    await limiter.registerAttempt(guesser);
    await replica.registerAttempt(guesser);
    await limiter.registerAttempt(guesser);
    expect((await replica.registerAttempt(guesser)).allowed).toBe(false);
  });
});
