import type { Product } from '../../domain/product.js';

/**
 * A shared, expiring copy of products, so hot reads skip Postgres. It is a cache, never the truth:
 * any method may fail (the store is down or slow) and callers must carry on without it.
 */
export abstract class ProductCache {
  /** The cached copy, or undefined on a miss. */
  abstract get(id: string): Promise<Product | undefined>;

  /** Caches the product for the configured time to live. */
  abstract set(product: Product): Promise<void>;

  abstract delete(ids: readonly string[]): Promise<void>;
}
