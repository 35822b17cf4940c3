import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Registry } from 'prom-client';
import { createRedisClient, type RedisClient } from '#lib/redis';
import { TEST_REDIS_URL } from '../../support/test-environment.js';
import { TcpProxy } from '../notifications/tcp-proxy.js';
// The class files themselves: the package entry point pulls in modules Jest cannot load.
import { LocalThrottlerStorage } from '../../../libs/guards/src/throttling/local-throttler.storage.js';
import { RedisThrottlerStorage } from '../../../libs/guards/src/throttling/redis-throttler.storage.js';
import {
  THROTTLE_FALLBACK_DECISIONS_METRIC,
  ThrottleFallbackMetrics,
} from '../../../libs/guards/src/throttling/throttle-fallback.metrics.js';

const MINUTE = 60_000;
const POLICY = { freeAttempts: 2, baseDelayMs: 60_000, maxDelayMs: 60_000, memoryMs: MINUTE };
const quiet = { warn: () => undefined, log: () => undefined };

async function fallbackDecisions(registry: Registry, limiter: string): Promise<number> {
  const metric = await registry.getSingleMetric(THROTTLE_FALLBACK_DECISIONS_METRIC)?.get();
  return metric?.values.find((value) => value.labels.limiter === limiter)?.value ?? 0;
}

async function ready(client: RedisClient): Promise<void> {
  if (client.status !== 'ready') await once(client, 'ready');
}

describe('throttling while Redis is down', () => {
  const redisUrl = new URL(TEST_REDIS_URL);
  const proxy = new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
  let throughProxy: RedisClient;
  let direct: RedisClient;
  let registry: Registry;
  let storage: RedisThrottlerStorage;
  const serviceName = `test-fallback-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    await proxy.up();
    throughProxy = createRedisClient(`redis://127.0.0.1:${proxy.port}/0`, 'throttle-fallback-spec');
    throughProxy.on('error', () => undefined);
    direct = createRedisClient(TEST_REDIS_URL, 'throttle-fallback-spec-direct');
    await Promise.all([ready(throughProxy), ready(direct)]);
  });
  beforeEach(() => {
    registry = new Registry();
    storage = new RedisThrottlerStorage(
      throughProxy,
      serviceName,
      quiet,
      new ThrottleFallbackMetrics(registry),
      new LocalThrottlerStorage(),
    );
  });
  afterEach(async () => {
    await proxy.up().catch(() => undefined);
  });
  afterAll(async () => {
    const keys = await direct.keys(`throttle:${serviceName}:*`);
    if (keys.length > 0) await direct.del(...keys);
    throughProxy.disconnect();
    await direct.quit();
    await proxy.down();
  });

  it('still limits requests in this process and counts each decision in the metric', async () => {
    await proxy.down();
    const key = `key-${randomUUID()}`;
    const hit = () => storage.increment(key, MINUTE, 2, MINUTE, 'default');
    expect((await hit()).isBlocked).toBe(false);
    expect((await hit()).isBlocked).toBe(false);
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    expect(await fallbackDecisions(registry, 'default')).toBe(3);
  });

  it('still delays login attempts in this process', async () => {
    await proxy.down();
    const key = `key-${randomUUID()}`;
    await storage.backoff(key, POLICY, 'login-source');
    await storage.backoff(key, POLICY, 'login-source');
    expect(await storage.backoff(key, POLICY, 'login-source')).toEqual({
      allowed: false,
      retryAfterSeconds: 60,
    });
    expect(await fallbackDecisions(registry, 'login-source')).toBe(3);
  });

  it('uses Redis again once it answers', async () => {
    await proxy.down();
    const key = `key-${randomUUID()}`;
    await storage.increment(key, MINUTE, 5, MINUTE, 'default');
    await proxy.up();
    await ready(throughProxy);
    // Counted in Redis from here on: a fresh window there, and visible to every replica.
    expect((await storage.increment(key, MINUTE, 5, MINUTE, 'default')).totalHits).toBe(1);
    expect(await direct.exists(`throttle:${serviceName}:{default:${key}}:hits`)).toBe(1);
    expect(await fallbackDecisions(registry, 'default')).toBe(1);
  });
});
