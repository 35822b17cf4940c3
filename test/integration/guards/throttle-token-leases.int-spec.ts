import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { jest } from '@jest/globals';
import { createRedisClient, type RedisClient } from '#lib/redis';
import { TEST_REDIS_URL } from '../../support/test-environment.js';
// The class file itself: it imports @nestjs/throttler for types only, so Jest can load it.
import { RedisThrottlerStorage } from '../../../libs/guards/src/throttling/redis-throttler.storage.js';

const MINUTE = 60_000;

async function connected(client: RedisClient): Promise<RedisClient> {
  if (client.status !== 'ready') await once(client, 'ready');
  return client;
}

/** Counts the script calls a replica makes: one per round trip to Redis for a hit. */
function countRoundTrips(client: RedisClient): () => number {
  const spy = jest.spyOn(client, 'evalsha');
  return () => spy.mock.calls.length;
}

describe('rate-limit token leases: two replicas sharing one limit in Redis', () => {
  let replicaConnections: RedisClient[];
  const service = `test-leases-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    replicaConnections = await Promise.all(
      ['leases-spec-a', 'leases-spec-b'].map((name) =>
        connected(createRedisClient(TEST_REDIS_URL, name)),
      ),
    );
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    const [first] = replicaConnections;
    const keys = await first.keys(`throttle:${service}:*`);
    if (keys.length > 0) await first.del(...keys);
    await Promise.all(replicaConnections.map((client) => client.quit()));
  });

  const replicas = (): RedisThrottlerStorage[] =>
    replicaConnections.map((client) => new RedisThrottlerStorage(client, service));

  it('never admits more than the limit together under concurrent load, with far fewer round trips than hits', async () => {
    const limit = 400;
    const [a, b] = replicas();
    const roundTripsA = countRoundTrips(replicaConnections[0]);
    const roundTripsB = countRoundTrips(replicaConnections[1]);
    const key = `key-${randomUUID()}`;
    const hit = (replica: RedisThrottlerStorage) =>
      replica.increment(key, MINUTE, limit, MINUTE, 'default');

    // 50 connections per replica, each sending its next request once the previous is answered.
    const admitted: number[] = [0, 0];
    const connection = async (replica: RedisThrottlerStorage, index: number) => {
      for (let request = 0; request < 10; request += 1) {
        if (!(await hit(replica)).isBlocked) admitted[index] += 1;
      }
    };
    await Promise.all(
      Array.from({ length: 50 }, () => [connection(a, 0), connection(b, 1)]).flat(),
    );

    const total = admitted[0] + admitted[1];
    expect(total).toBeLessThanOrEqual(limit);
    // Unspent tokens the other replica held count as hits: at most one lease (5 % of the limit).
    expect(total).toBeGreaterThanOrEqual(limit - 2 * limit * 0.05);
    // 1,000 requests; without leases each would have been a round trip.
    expect(roundTripsA() + roundTripsB()).toBeLessThan(250);
  });

  it('counts a quiet key exactly: alternate requests on the two replicas meet the limit of 3', async () => {
    const [a, b] = replicas();
    const key = `key-${randomUUID()}`;
    const statuses = [];
    for (const replica of [a, b, a, b]) {
      const record = await replica.increment(key, MINUTE, 3, MINUTE, 'default');
      statuses.push(record.isBlocked ? 429 : 200);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('refuses on the other replica once one replica used the limit up', async () => {
    const [a, b] = replicas();
    const key = `key-${randomUUID()}`;
    // Fast enough for the leases to grow: replica a claims ahead, up to the limit of 200.
    for (let request = 0; request < 200; request += 1) {
      expect((await a.increment(key, MINUTE, 200, MINUTE, 'default')).isBlocked).toBe(false);
    }
    expect(await b.increment(key, MINUTE, 200, MINUTE, 'default')).toMatchObject({
      isBlocked: true,
      totalHits: 201,
    });
  });

  it('answers a blocked key from memory until the block that Redis set ends', async () => {
    const [a] = replicas();
    const roundTrips = countRoundTrips(replicaConnections[0]);
    const key = `key-${randomUUID()}`;
    await a.increment(key, MINUTE, 1, MINUTE, 'default');
    const refused = await a.increment(key, MINUTE, 1, MINUTE, 'default');
    expect(refused).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    const before = roundTrips();
    for (let request = 0; request < 20; request += 1) {
      expect((await a.increment(key, MINUTE, 1, MINUTE, 'default')).isBlocked).toBe(true);
    }
    expect(roundTrips()).toBe(before);
  });
});
