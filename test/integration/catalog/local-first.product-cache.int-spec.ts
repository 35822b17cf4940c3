import { Logger } from '@nestjs/common';
import { SystemClock } from '#lib/kernel';
import { Redis } from 'ioredis';
import { LocalFirstProductCache } from '../../../libs/catalog/src/clients/local-first.product-cache.js';
import { productCacheKey } from '../../../libs/catalog/src/clients/redis.product-cache.js';
import { ProductCacheEntryMapper } from '../../../libs/catalog/src/clients/product-cache-entry.js';
import { Product } from '../../../libs/catalog/src/domain/product.js';
import { CatalogSettings } from '../../../libs/catalog/src/services/catalog-settings.js';
import { TEST_REDIS_URL } from '../../support/test-environment.js';
import { eventually, newCachedProduct } from './product-cache-fixtures.js';

describe('LocalFirstProductCache on the real Redis, two replicas', () => {
  // A minute in process: only an invalidation, never the expiry, can make a change visible here.
  const settings = new CatalogSettings(30, 200, 30, true, 60_000, 100);
  let redis: Redis;
  let replicaA: LocalFirstProductCache;
  let replicaB: LocalFirstProductCache;
  const written: string[] = [];

  /** Changes the shared copy behind the replicas' backs, as a write that announced nothing would. */
  const overwriteSilently = async (product: Product): Promise<void> => {
    written.push(product.id);
    await redis.set(
      productCacheKey(product.id),
      JSON.stringify(ProductCacheEntryMapper.toEntry(product)),
      'EX',
      30,
    );
  };

  beforeAll(async () => {
    Logger.overrideLogger(false);
    redis = new Redis(TEST_REDIS_URL);
    [replicaA, replicaB] = await Promise.all([
      LocalFirstProductCache.overRedis(TEST_REDIS_URL, settings, new SystemClock()),
      LocalFirstProductCache.overRedis(TEST_REDIS_URL, settings, new SystemClock()),
    ]);
    await eventually(async () => {
      expect(replicaA.keepsCopies && replicaB.keepsCopies).toBe(true);
    });
  });

  afterAll(async () => {
    await replicaA.onApplicationShutdown();
    await replicaB.onApplicationShutdown();
    if (written.length > 0) await redis.del(...written.map(productCacheKey));
    await redis.quit();
  });

  it('serves a product it read from its own memory, without asking Redis again', async () => {
    const product = newCachedProduct();
    await overwriteSilently(product);
    await replicaB.get(product.id);

    await redis.del(productCacheKey(product.id));

    expect((await replicaB.get(product.id))?.toSnapshot()).toEqual(product.toSnapshot());
  });

  it('shows a write made through one replica on the other once the invalidation reaches it', async () => {
    const product = newCachedProduct();
    await overwriteSilently(product);
    await replicaB.get(product.id);
    const changed = Product.restore({ ...product.toSnapshot(), stock: 1, version: 2 });

    // The write path: commit, invalidate (delete + publish), the next read loads and stores.
    await replicaA.delete([product.id]);
    await replicaA.set(changed);

    await eventually(async () => {
      expect((await replicaB.get(product.id))?.version).toBe(2);
    });
    expect((await replicaB.get(product.id))?.stock).toBe(1);
  });

  it('reads its own write at once on the replica that made it', async () => {
    const product = newCachedProduct();
    await overwriteSilently(product);
    await replicaA.get(product.id);

    await replicaA.delete([product.id]);

    expect(await replicaA.get(product.id)).toBeUndefined();
  });

  it('keeps serving its copy when the shared copy changes without an invalidation (bounded by its TTL)', async () => {
    const product = newCachedProduct();
    await overwriteSilently(product);
    await replicaB.get(product.id);

    await overwriteSilently(Product.restore({ ...product.toSnapshot(), version: 3 }));

    expect((await replicaB.get(product.id))?.version).toBe(product.version);
  });
});
