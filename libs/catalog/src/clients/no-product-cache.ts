import type { Product } from '../domain/product.js';
import { ProductCache } from '../services/ports/product-cache.port.js';

/** The cache when CATALOG_CACHE_ENABLED=false: always a miss, so every read goes to Postgres. */
export class NoProductCache extends ProductCache {
  get(): Promise<Product | undefined> {
    return Promise.resolve(undefined);
  }

  set(): Promise<void> {
    return Promise.resolve();
  }

  delete(): Promise<void> {
    return Promise.resolve();
  }
}
