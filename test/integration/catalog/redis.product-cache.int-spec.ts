import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  CacheTimeoutError,
  productCacheKey,
  RedisProductCache,
} from '../../../libs/catalog/src/clients/redis.product-cache.js';
import { CatalogSettings } from '../../../libs/catalog/src/services/catalog-settings.js';
import { freePort } from '../../support/app-process.js';
import { TEST_REDIS_URL } from '../../support/test-environment.js';
import { eventually, newCachedProduct } from './product-cache-fixtures.js';

/**
 * A TCP proxy in front of the real Redis: stopping it stands in for Redis going down (the shared
 * server keeps running), freezing it for a Redis that holds connections but stops answering.
 */
async function startRedisProxy(port: number) {
  const target = new URL(TEST_REDIS_URL);
  const sockets = new Set<Socket>();
  let frozen = false;
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('data', (chunk: Buffer) => {
      if (!frozen) upstream.write(chunk);
    });
    upstream.pipe(client);
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return {
    port,
    freeze(): void {
      frozen = true;
    },
    async stop(): Promise<void> {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('RedisProductCache (cache-manager + cache-manager-redis-yet)', () => {
  const settings = new CatalogSettings(30, 200, 30);
  let cache: RedisProductCache;
  let redis: Redis;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    redis = new Redis(TEST_REDIS_URL);
    cache = await RedisProductCache.create(TEST_REDIS_URL, settings);
    // create() does not wait for the connection: wait until a command goes through.
    const probe = newCachedProduct();
    await eventually(() => cache.get(probe.id));
  });

  afterAll(async () => {
    await cache.onApplicationShutdown();
    await redis.quit();
  });

  it('stores a product under catalog:product:<id> and reads it back intact', async () => {
    const product = newCachedProduct();

    await cache.set(product);

    expect(await redis.exists(productCacheKey(product.id))).toBe(1);
    expect(productCacheKey(product.id)).toBe(`catalog:product:${product.id}`);
    expect((await cache.get(product.id))?.toSnapshot()).toEqual(product.toSnapshot());
  });

  it('gives each entry the configured time to live', async () => {
    const product = newCachedProduct();
    await cache.set(product);

    const ttlMs = await redis.pttl(productCacheKey(product.id));

    expect(ttlMs).toBeGreaterThan(25_000);
    expect(ttlMs).toBeLessThanOrEqual(30_000);
  });

  it('deletes one or many entries', async () => {
    const [one, two, three] = [newCachedProduct(), newCachedProduct(), newCachedProduct()];
    await Promise.all([cache.set(one), cache.set(two), cache.set(three)]);

    await cache.delete([one.id]);
    await cache.delete([two.id, three.id]);

    expect(await cache.get(one.id)).toBeUndefined();
    expect(
      await redis.exists(
        productCacheKey(one.id),
        productCacheKey(two.id),
        productCacheKey(three.id),
      ),
    ).toBe(0);
  });

  it('reads an entry of another shape (an older release) as a miss', async () => {
    const product = newCachedProduct();
    await redis.set(productCacheKey(product.id), JSON.stringify({ id: product.id }), 'EX', 30);

    expect(await cache.get(product.id)).toBeUndefined();
  });

  it('fails at once, without waiting, while Redis cannot be reached', async () => {
    const port = await freePort();
    const started = Date.now();
    const down = await RedisProductCache.create(`redis://127.0.0.1:${port}/0`, settings);
    expect(Date.now() - started).toBeLessThan(500);

    const reading = Date.now();
    await expect(down.get(newCachedProduct().id)).rejects.toThrow();
    await expect(down.set(newCachedProduct())).rejects.toThrow();
    expect(Date.now() - reading).toBeLessThan(500);

    await down.onApplicationShutdown();
  });

  it('uses Redis again on its own once it is back after an outage', async () => {
    const port = await freePort();
    let proxy = await startRedisProxy(port);
    const flaky = await RedisProductCache.create(`redis://127.0.0.1:${port}/0`, settings);
    const product = newCachedProduct();
    await eventually(() => flaky.set(product));

    await proxy.stop();
    await expect(flaky.get(product.id)).rejects.toThrow();

    proxy = await startRedisProxy(port);
    await eventually(() => flaky.get(product.id));
    expect((await flaky.get(product.id))?.id).toBe(product.id);

    await flaky.onApplicationShutdown();
    await proxy.stop();
  });

  it('gives up on a Redis that stops answering, within the operation timeout', async () => {
    const proxy = await startRedisProxy(await freePort());
    const stuck = await RedisProductCache.create(`redis://127.0.0.1:${proxy.port}/0`, settings);
    await eventually(() => stuck.get(newCachedProduct().id));
    proxy.freeze();

    const started = Date.now();
    await expect(stuck.get(newCachedProduct().id)).rejects.toBeInstanceOf(CacheTimeoutError);
    const elapsed = Date.now() - started;

    expect(elapsed).toBeGreaterThanOrEqual(settings.cacheOperationTimeoutMs - 20);
    expect(elapsed).toBeLessThan(1_000);
    await stuck.onApplicationShutdown();
    await proxy.stop();
  });
});
