import { Clock } from '#lib/kernel';
import { Injectable, Logger } from '@nestjs/common';
import type { Product } from '../domain/product.js';
import { ProductRepository } from '../repositories/product.repository.js';
import { ProductCache } from './ports/product-cache.port.js';

/** At most one warning per window while the cache keeps failing, with the count of the others. */
const WARNING_WINDOW_MS = 10_000;
/**
 * After a failed cache command, reads skip the cache this long. A Redis that refuses connections
 * fails at once anyway; one that hangs would otherwise cost every read the adapter's timeout.
 */
export const CACHE_COOLDOWN_MS = 1_000;

/**
 * Cache-aside reads of single products, and their invalidation.
 *
 * - A miss is loaded from Postgres by one loader per key in this process: concurrent readers of a
 *   cold key share its promise, so a popular product's expiry sends one query, not a stampede.
 * - A write invalidates after its commit. A load that was running when the key was invalidated may
 *   have read the old row, so it does not write its result back (it still answers its readers).
 *   Across replicas the TTL bounds that window.
 * - The cache is an optimisation: when it fails or is slow (the adapter times out), reads go to
 *   Postgres, and keep going there for a short cooldown. A failure is logged as a warning and
 *   never fails the request. Invalidations are always attempted.
 */
@Injectable()
export class ProductCacheAside {
  private readonly logger = new Logger('CatalogCache');
  private readonly loads = new Map<string, Promise<Product | null>>();
  private lastWarningAt = 0;
  private suppressedWarnings = 0;
  private bypassUntil = 0;

  constructor(
    private readonly cache: ProductCache,
    private readonly products: ProductRepository,
    private readonly clock: Clock,
  ) {}

  /** The product, from the cache or else from Postgres (then cached); null if it does not exist. */
  async get(id: string): Promise<Product | null> {
    if (this.bypassing()) return this.loadOnce(id);
    const cached = await this.attempt('read', () => this.cache.get(id));
    if (cached) return cached;
    return this.loadOnce(id);
  }

  /** Call after the change committed: readers then load the new row. */
  async invalidate(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    // Forgetting the running loads makes them skip their write-back (see loadOnce).
    for (const id of ids) this.loads.delete(id);
    await this.attempt('invalidate', () => this.cache.delete(ids));
  }

  private loadOnce(id: string): Promise<Product | null> {
    const running = this.loads.get(id);
    if (running) return running;
    const load: Promise<Product | null> = this.products
      .findById(id)
      .then(async (product) => {
        if (product && this.loads.get(id) === load && !this.bypassing()) {
          await this.attempt('write', () => this.cache.set(product));
        }
        return product;
      })
      .finally(() => {
        if (this.loads.get(id) === load) this.loads.delete(id);
      });
    this.loads.set(id, load);
    return load;
  }

  private async attempt<T>(operation: string, command: () => Promise<T>): Promise<T | undefined> {
    try {
      return await command();
    } catch (error) {
      this.bypassUntil = this.clock.now().getTime() + CACHE_COOLDOWN_MS;
      this.warn(operation, error);
      return undefined;
    }
  }

  private bypassing(): boolean {
    return this.clock.now().getTime() < this.bypassUntil;
  }

  private warn(operation: string, error: unknown): void {
    const now = this.clock.now().getTime();
    if (now - this.lastWarningAt < WARNING_WINDOW_MS) {
      this.suppressedWarnings += 1;
      return;
    }
    const suppressed = this.suppressedWarnings;
    this.lastWarningAt = now;
    this.suppressedWarnings = 0;
    this.logger.warn(
      `product cache ${operation} failed, serving from Postgres: ${error instanceof Error ? error.message : String(error)}` +
        (suppressed > 0 ? ` (${suppressed} more failures since the last warning)` : ''),
    );
  }
}
