import { Product } from '../domain/product.js';
import { ProductCache } from '../services/ports/product-cache.port.js';

/** Test double of the Redis cache; `failing` makes every command throw, as a Redis outage does. */
export class InMemoryProductCache extends ProductCache {
  private readonly entries = new Map<string, Product>();
  failing = false;
  gets = 0;
  sets = 0;

  async get(id: string): Promise<Product | undefined> {
    this.gets += 1;
    this.failIfDown();
    const entry = this.entries.get(id);
    return entry ? Product.restore(entry.toSnapshot()) : undefined;
  }

  async set(product: Product): Promise<void> {
    this.sets += 1;
    this.failIfDown();
    this.entries.set(product.id, Product.restore(product.toSnapshot()));
  }

  async delete(ids: readonly string[]): Promise<void> {
    this.failIfDown();
    for (const id of ids) this.entries.delete(id);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  cachedVersion(id: string): number | undefined {
    return this.entries.get(id)?.version;
  }

  private failIfDown(): void {
    if (this.failing) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
  }
}
