import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  CacheTimeoutError,
  productCacheKey,
  RedisProductCache,
} from '../../../libs/catalog/src/clients/redis.product-cache.js';
import { Money } from '../../../libs/catalog/src/domain/money.js';
import { Product } from '../../../libs/catalog/src/domain/product.js';
import { CatalogSettings } from '../../../libs/catalog/src/services/catalog-settings.js';
import { freePort } from '../../support/app-process.js';
import { TEST_REDIS_URL } from '../../support/test-environment.js';

const newProduct = (): Product =>
  Product.create({
    sku: `CACHE-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
    name: 'Cached mug',
    description: 'Fast',
    price: Money.of(1299, 'EUR'),
    stock: 4,
    now: new Date('2026-04-01T12:00:00.000Z'),
  });

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

async function eventually(check: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
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
    const probe = newProduct();
    await eventually(() => cache.get(probe.id));
  });

  afterAll(async () => {
    await cache.onApplicationShutdown();
    await redis.quit();
  });

  it('stores a product under catalog:product:<id> and reads it back intact', async () => {
    const product = newProduct();

    await cache.set(product);

    expect(await redis.exists(productCacheKey(product.id))).toBe(1);
    expect(productCacheKey(product.id)).toBe(`catalog:product:${product.id}`);
    expect((await cache.get(product.id))?.toSnapshot()).toEqual(product.toSnapshot());
  });

  it('gives each entry the configured time to live', async () => {
    const product = newProduct();
    await cache.set(product);

    const ttlMs = await redis.pttl(productCacheKey(product.id));

    expect(ttlMs).toBeGreaterThan(25_000);
    expect(ttlMs).toBeLessThanOrEqual(30_000);
  });

  it('deletes one or many entries', async () => {
    const [one, two, three] = [newProduct(), newProduct(), newProduct()];
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
    const product = newProduct();
    await redis.set(productCacheKey(product.id), JSON.stringify({ id: product.id }), 'EX', 30);

    expect(await cache.get(product.id)).toBeUndefined();
  });

  it('fails at once, without waiting, while Redis cannot be reached', async () => {
    const port = await freePort();
    const started = Date.now();
    const down = await RedisProductCache.create(`redis://127.0.0.1:${port}/0`, settings);
    expect(Date.now() - started).toBeLessThan(500);

    const reading = Date.now();
    await expect(down.get(newProduct().id)).rejects.toThrow();
    await expect(down.set(newProduct())).rejects.toThrow();
    expect(Date.now() - reading).toBeLessThan(500);

    await down.onApplicationShutdown();
  });

  it('uses Redis again on its own once it is back after an outage', async () => {
    const port = await freePort();
    let proxy = await startRedisProxy(port);
    const flaky = await RedisProductCache.create(`redis://127.0.0.1:${port}/0`, settings);
    const product = newProduct();
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
    await eventually(() => stuck.get(newProduct().id));
    proxy.freeze();

    const started = Date.now();
    await expect(stuck.get(newProduct().id)).rejects.toBeInstanceOf(CacheTimeoutError);
    const elapsed = Date.now() - started;

    expect(elapsed).toBeGreaterThanOrEqual(settings.cacheOperationTimeoutMs - 20);
    expect(elapsed).toBeLessThan(1_000);
    await stuck.onApplicationShutdown();
    await proxy.stop();
  });
});
