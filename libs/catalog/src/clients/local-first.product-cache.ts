import type { Clock } from '#lib/kernel';
import type { OnApplicationShutdown } from '@nestjs/common';
import { Product, type ProductSnapshot } from '../domain/product.js';
import type { CatalogSettings } from '../services/catalog-settings.js';
import { ProductCache } from '../services/ports/product-cache.port.js';
import { InProcessLru } from './in-process-lru.js';
import type {
  ProductInvalidationFeed,
  ProductInvalidationListener,
} from './product-invalidations.js';
import { RedisProductCache } from './redis.product-cache.js';
import { RedisProductInvalidations } from './redis.product-invalidations.js';

/**
 * A few seconds of products in this process in front of the shared cache (ADR 0048), so a hot
 * product costs no round trip to Redis.
 *
 * - Entries come only from a shared-cache hit, never from `set` (a load from Postgres): what
 *   the shared cache holds has been through its invalidation, what a load read may predate it.
 * - A read that overlapped an invalidation of its product (heard from the feed or made here), or
 *   an interruption of the feed, keeps nothing: it may have read the copy being dropped.
 * - `delete` forgets locally before and after the shared delete, so the replica that wrote reads
 *   its write at once (read-your-writes) without waiting for the feed to echo it.
 * - Nothing is kept or served while the feed is not live; when it comes back everything is
 *   forgotten, since what was published meanwhile is lost. A replica that misses one message
 *   anyway serves the old product until its entry expires (`ttlMs`).
 */
export class LocalFirstProductCache
  extends ProductCache
  implements ProductInvalidationListener, OnApplicationShutdown
{
  /** Moves when the feed was interrupted: every read under way may have missed an invalidation. */
  private generation = 0;
  /** Per product being read from Redis here: the invalidations of it heard meanwhile. */
  private readonly readsUnderWay = new Map<string, { reads: number; invalidations: number }>();

  constructor(
    private readonly shared: ProductCache,
    private readonly local: InProcessLru<ProductSnapshot>,
    private readonly feed: ProductInvalidationFeed,
    private readonly closeWith: () => Promise<void> = () => Promise.resolve(),
  ) {
    super();
  }

  /** What a replica runs: Redis, with `localCacheTtlMs` in process in front of it, fed by pub/sub. */
  static async overRedis(
    redisUrl: string,
    settings: CatalogSettings,
    clock: Clock,
  ): Promise<LocalFirstProductCache> {
    const shared = await RedisProductCache.create(redisUrl, settings);
    const invalidations = new RedisProductInvalidations(redisUrl);
    const cache = new LocalFirstProductCache(
      shared,
      new InProcessLru(settings.localCacheMaxEntries, settings.localCacheTtlMs, clock),
      invalidations,
      async () => {
        await invalidations.close();
        await shared.onApplicationShutdown();
      },
    );
    invalidations.start(cache);
    return cache;
  }

  /** Whether reads may be served from this process now (the invalidation feed is live). */
  get keepsCopies(): boolean {
    return this.feed.live;
  }

  async get(id: string): Promise<Product | undefined> {
    if (!this.feed.live) return this.shared.get(id);
    const kept = this.local.get(id);
    // A copy per read: a Product is mutable, the snapshot it came from must stay as it was.
    if (kept !== undefined) return Product.restore(kept);
    const underWay = this.readsUnderWay.get(id) ?? { reads: 0, invalidations: 0 };
    this.readsUnderWay.set(id, underWay);
    underWay.reads += 1;
    const [generation, invalidations] = [this.generation, underWay.invalidations];
    try {
      const product = await this.shared.get(id);
      const overtaken = generation !== this.generation || invalidations !== underWay.invalidations;
      if (product !== undefined && !overtaken && this.feed.live) {
        this.local.set(id, product.toSnapshot());
      }
      return product;
    } finally {
      underWay.reads -= 1;
      if (underWay.reads === 0) this.readsUnderWay.delete(id);
    }
  }

  set(product: Product): Promise<void> {
    return this.shared.set(product);
  }

  async delete(ids: readonly string[]): Promise<void> {
    this.invalidated(ids);
    try {
      await this.shared.delete(ids);
    } finally {
      // A read that started before the shared delete may have stored the old copy meanwhile.
      this.invalidated(ids);
    }
  }

  invalidated(ids: readonly string[]): void {
    for (const id of ids) {
      this.local.delete(id);
      const underWay = this.readsUnderWay.get(id);
      if (underWay !== undefined) underWay.invalidations += 1;
    }
  }

  missedSome(): void {
    this.generation += 1;
    this.local.clear();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.closeWith();
  }
}
