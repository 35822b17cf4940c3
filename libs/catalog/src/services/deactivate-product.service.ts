import { Clock } from '#lib/kernel';
import { Injectable } from '@nestjs/common';
import type { Product } from '../domain/product.js';
import { ProductNotFoundError, VersionConflictError } from '../domain/product.errors.js';
import { ProductRepository } from '../repositories/product.repository.js';
import { ProductCacheAside } from './product-cache-aside.js';

/** Without a precondition, a deactivation that loses a race to another write is simply redone. */
const ATTEMPTS_WITHOUT_PRECONDITION = 3;

/**
 * Admin: takes a product off sale. The row stays (orders refer to it, and its SKU stays taken);
 * it disappears from listings and reads, and can no longer be priced or reserved. Idempotent.
 */
@Injectable()
export class DeactivateProductService {
  constructor(
    private readonly products: ProductRepository,
    private readonly cache: ProductCacheAside,
    private readonly clock: Clock,
  ) {}

  /** `expectedVersion`, when given (If-Match), must be the current one. */
  async deactivate(command: { productId: string; expectedVersion?: number }): Promise<Product> {
    const attempts = command.expectedVersion === undefined ? ATTEMPTS_WITHOUT_PRECONDITION : 1;
    for (let attempt = 1; ; attempt += 1) {
      const product = await this.products.findById(command.productId);
      if (!product) throw new ProductNotFoundError(command.productId);
      if (command.expectedVersion !== undefined) product.assertVersion(command.expectedVersion);

      const readVersion = product.version;
      if (!product.deactivate(this.clock.now())) return product;
      if (await this.products.saveIfVersion(product, readVersion)) {
        await this.cache.invalidate([product.id]);
        return product;
      }
      if (attempt >= attempts) {
        const current = await this.products.findById(command.productId);
        throw new VersionConflictError(command.productId, readVersion, current?.version ?? 0);
      }
    }
  }
}
