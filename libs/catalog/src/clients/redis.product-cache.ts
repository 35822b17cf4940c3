import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createClient, type RedisClientType } from '@redis/client';
import { type Cache, caching } from 'cache-manager';
import { redisInsStore } from 'cache-manager-redis-yet';
import type { Product } from '../domain/product.js';
import type { CatalogSettings } from '../services/catalog-settings.js';
import { ProductCache } from '../services/ports/product-cache.port.js';
import { ProductCacheEntryMapper } from './product-cache-entry.js';
import {
  PRODUCT_INVALIDATIONS_CHANNEL,
  ProductInvalidationMessage,
} from './product-invalidations.js';

export const productCacheKey = (id: string): string => `catalog:product:${id}`;

export class CacheTimeoutError extends Error {
  constructor(operation: string, timeoutMs: number) {
    super(`cache ${operation} took longer than ${timeoutMs} ms`);
    this.name = 'CacheTimeoutError';
  }
}

/**
 * ProductCache on Redis through cache-manager 5 and cache-manager-redis-yet, on a connection of
 * its own. Built so a sick Redis costs a read milliseconds, not seconds: the app starts without
 * waiting for Redis, commands fail at once while disconnected (no offline queue), and each command
 * gets `cacheOperationTimeoutMs` before the caller goes to Postgres.
 */
export class RedisProductCache extends ProductCache implements OnApplicationShutdown {
  private readonly logger = new Logger('CatalogCache');
  private connected = false;
  private reportedDown = false;

  private constructor(
    private readonly client: RedisClientType,
    private readonly cache: Cache,
    private readonly settings: CatalogSettings,
  ) {
    super();
    client.on('ready', () => {
      this.connected = true;
      this.reportedDown = false;
      this.logger.log('product cache connected to Redis');
    });
    // node-redis emits 'error' on every failed reconnect; one warning per outage is enough.
    client.on('error', (error: Error) => {
      if (this.reportedDown) return;
      this.reportedDown = true;
      this.logger.warn(
        `product cache Redis ${this.connected ? 'connection lost' : 'unreachable'}: ${error.message}; reads go to Postgres until it is back`,
      );
    });
    client.on('end', () => (this.connected = false));
  }

  /** Resolves at once; the connection is made (and remade) in the background. */
  static async create(url: string, settings: CatalogSettings): Promise<RedisProductCache> {
    const client: RedisClientType = createClient({
      url,
      name: 'catalog-product-cache',
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 1_000,
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000),
      },
    });
    const store = redisInsStore(
      // cache-manager-redis-yet types its client as the `redis` bundle (client plus modules); it
      // only calls core commands, which @redis/client provides.
      client as unknown as Parameters<typeof redisInsStore>[0],
      { ttl: settings.cacheTtlSeconds * 1000 },
    );
    const cache = await caching(store);
    const productCache = new RedisProductCache(client, cache, settings);
    client.connect().catch(() => {
      // Reported through the 'error' event; the client keeps reconnecting on its own.
    });
    return productCache;
  }

  async get(id: string): Promise<Product | undefined> {
    const entry = await this.timed('get', this.cache.get<unknown>(productCacheKey(id)));
    return ProductCacheEntryMapper.toProduct(entry);
  }

  async set(product: Product): Promise<void> {
    await this.timed(
      'set',
      this.cache.set(
        productCacheKey(product.id),
        ProductCacheEntryMapper.toEntry(product),
        this.settings.cacheTtlSeconds * 1000,
      ),
    );
  }

  /**
   * Deletes the entries and names the products on the invalidation channel in one transaction, so
   * a replica that hears of it finds them gone from Redis (ADR 0048).
   */
  async delete(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.timed(
      'delete',
      this.client
        .multi()
        .del(ids.map(productCacheKey))
        .publish(PRODUCT_INVALIDATIONS_CHANNEL, ProductInvalidationMessage.encode(ids))
        .exec(),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    // disconnect, not quit: quit would wait for a server that may be gone.
    await this.client.disconnect().catch(() => undefined);
  }

  private async timed<T>(operation: string, command: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new CacheTimeoutError(operation, this.settings.cacheOperationTimeoutMs)),
        this.settings.cacheOperationTimeoutMs,
      );
    });
    try {
      return await Promise.race([command, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
