import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createRedisClient, type RedisClient } from '#lib/redis';
import { freePort } from '../../support/app-process.js';
import { TEST_REDIS_URL } from '../../support/test-environment.js';
// The class file itself: it imports @nestjs/throttler for types only, so Jest can load it.
import { RedisThrottlerStorage } from '../../../libs/guards/src/throttling/redis-throttler.storage.js';

const MINUTE = 60_000;
/** The shared client fails fast instead of queueing, so wait until it is connected. */
async function connected(client: RedisClient): Promise<RedisClient> {
  if (client.status !== 'ready') await once(client, 'ready');
  return client;
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

interface LogLines {
  warnings: string[];
  infos: string[];
}

function recordingLogger(): LogLines & { warn(m: string): void; log(m: string): void } {
  const lines: LogLines = { warnings: [], infos: [] };
  return {
    ...lines,
    warn: (message: string) => lines.warnings.push(message),
    log: (message: string) => lines.infos.push(message),
  };
}

describe('RedisThrottlerStorage', () => {
  let redis: RedisClient;
  const clients: RedisClient[] = [];
  const service = (): string => `test-${randomUUID().slice(0, 8)}`;
  const newKey = (): string => `key-${randomUUID()}`;

  beforeAll(async () => {
    redis = await connected(createRedisClient(TEST_REDIS_URL, 'guards-int-spec'));
  });

  afterAll(async () => {
    await redis.quit();
    for (const client of clients) client.disconnect();
  });

  it('counts 50 concurrent hits exactly once each', async () => {
    const storage = new RedisThrottlerStorage(redis, service());
    const key = newKey();
    const records = await Promise.all(
      Array.from({ length: 50 }, () => storage.increment(key, MINUTE, 1000, MINUTE, 'default')),
    );
    const counts = records.map((record) => record.totalHits).sort((a, b) => a - b);
    expect(counts).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    expect(records.every((record) => !record.isBlocked)).toBe(true);
  });

  it('reports the time left in the window in seconds', async () => {
    const storage = new RedisThrottlerStorage(redis, service());
    const record = await storage.increment(newKey(), 30_000, 10, 30_000, 'default');
    expect(record).toEqual({
      totalHits: 1,
      timeToExpire: 30,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
  });

  it('starts a new window once the ttl has passed', async () => {
    const storage = new RedisThrottlerStorage(redis, service());
    const key = newKey();
    await storage.increment(key, 300, 10, 300, 'default');
    expect((await storage.increment(key, 300, 10, 300, 'default')).totalHits).toBe(2);
    await sleep(400);
    expect((await storage.increment(key, 300, 10, 300, 'default')).totalHits).toBe(1);
  });

  it('blocks a key past the limit for the block duration, then lets it start afresh', async () => {
    const storage = new RedisThrottlerStorage(redis, service());
    const key = newKey();
    const hit = () => storage.increment(key, MINUTE, 2, 500, 'default');
    expect((await hit()).isBlocked).toBe(false);
    expect((await hit()).isBlocked).toBe(false);
    const third = await hit();
    expect(third).toMatchObject({ totalHits: 3, isBlocked: true, timeToBlockExpire: 1 });
    expect((await hit()).isBlocked).toBe(true);
    await sleep(600);
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('blocks for the whole block duration even when it outlasts the window', async () => {
    const storage = new RedisThrottlerStorage(redis, service());
    const key = newKey();
    const hit = () => storage.increment(key, 200, 1, 5_000, 'default');
    await hit();
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 5 });
    await sleep(300);
    expect((await hit()).isBlocked).toBe(true);
  });

  it('without a block duration, rejects until the window ends', async () => {
    const storage = new RedisThrottlerStorage(redis, service());
    const key = newKey();
    const hit = () => storage.increment(key, 300, 1, 0, 'default');
    expect((await hit()).isBlocked).toBe(false);
    expect((await hit()).isBlocked).toBe(true);
    await sleep(400);
    expect((await hit()).isBlocked).toBe(false);
  });

  it('keeps separate counters per throttler name', async () => {
    const storage = new RedisThrottlerStorage(redis, service());
    const key = newKey();
    await storage.increment(key, MINUTE, 10, MINUTE, 'burst');
    await storage.increment(key, MINUTE, 10, MINUTE, 'burst');
    expect((await storage.increment(key, MINUTE, 10, MINUTE, 'sustained')).totalHits).toBe(1);
  });

  it('shares counters between replicas of one service', async () => {
    const name = service();
    const replicaConnection = await connected(
      createRedisClient(TEST_REDIS_URL, 'guards-int-spec-replica'),
    );
    clients.push(replicaConnection);
    const first = new RedisThrottlerStorage(redis, name);
    const second = new RedisThrottlerStorage(replicaConnection, name);
    const key = newKey();
    await first.increment(key, MINUTE, 3, MINUTE, 'default');
    await second.increment(key, MINUTE, 3, MINUTE, 'default');
    await first.increment(key, MINUTE, 3, MINUTE, 'default');
    expect(await second.increment(key, MINUTE, 3, MINUTE, 'default')).toMatchObject({
      totalHits: 4,
      isBlocked: true,
    });
  });

  it('keeps the counters of distinct services apart', async () => {
    const catalog = new RedisThrottlerStorage(redis, service());
    const orders = new RedisThrottlerStorage(redis, service());
    const key = newKey();
    await catalog.increment(key, MINUTE, 3, MINUTE, 'default');
    await catalog.increment(key, MINUTE, 3, MINUTE, 'default');
    expect((await orders.increment(key, MINUTE, 3, MINUTE, 'default')).totalHits).toBe(1);
  });

  it('loads its script again after Redis forgot it', async () => {
    const storage = new RedisThrottlerStorage(redis, service());
    await redis.script('FLUSH');
    expect((await storage.increment(newKey(), MINUTE, 5, MINUTE, 'default')).totalHits).toBe(1);
  });

  it('decides locally and warns once when Redis is unreachable', async () => {
    const unreachable = createRedisClient(`redis://127.0.0.1:${await freePort()}/0`, 'closed-port');
    unreachable.on('error', () => undefined);
    clients.push(unreachable);
    const logger = recordingLogger();
    const storage = new RedisThrottlerStorage(unreachable, service(), logger);

    const records = await Promise.all(
      Array.from({ length: 5 }, () => storage.increment(newKey(), MINUTE, 1, MINUTE, 'default')),
    );
    expect(records.every((record) => !record.isBlocked)).toBe(true);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(/in-process fallback/);
  });
});
