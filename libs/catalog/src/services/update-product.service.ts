import { Clock } from '#lib/kernel';
import { Injectable } from '@nestjs/common';
import { Money } from '../domain/money.js';
import type { Product, ProductChanges } from '../domain/product.js';
import { ProductNotFoundError, VersionConflictError } from '../domain/product.errors.js';
import { ProductRepository } from '../repositories/product.repository.js';
import { ProductCacheAside } from './product-cache-aside.js';

export interface UpdateProductCommand {
  readonly productId: string;
  /** The version the admin's edit is based on (from the ETag or the body). */
  readonly expectedVersion: number;
  readonly name?: string;
  readonly description?: string;
  readonly price?: { readonly amount: number; readonly currency: string };
  /** The new number of units on hand. */
  readonly stock?: number;
  readonly active?: boolean;
}

/**
 * Admin: edits a product (stock included) with optimistic concurrency: the edit applies only to
 * the version it was based on, so two admins (or an admin and the orders flowing in) never
 * overwrite each other's change unseen.
 */
@Injectable()
export class UpdateProductService {
  constructor(
    private readonly products: ProductRepository,
    private readonly cache: ProductCacheAside,
    private readonly clock: Clock,
  ) {}

  async update(command: UpdateProductCommand): Promise<Product> {
    const product = await this.products.findById(command.productId);
    if (!product) throw new ProductNotFoundError(command.productId);
    product.assertVersion(command.expectedVersion);

    const changes: ProductChanges = {
      ...(command.name !== undefined && { name: command.name }),
      ...(command.description !== undefined && { description: command.description }),
      ...(command.price !== undefined && {
        price: Money.of(command.price.amount, command.price.currency),
      }),
      ...(command.stock !== undefined && { stock: command.stock }),
      ...(command.active !== undefined && { active: command.active }),
    };
    if (!product.revise(changes, this.clock.now())) return product;

    if (!(await this.products.saveIfVersion(product, command.expectedVersion))) {
      // Someone saved between our read and our write: report the version that won.
      const current = await this.products.findById(command.productId);
      if (!current) throw new ProductNotFoundError(command.productId);
      throw new VersionConflictError(command.productId, command.expectedVersion, current.version);
    }
    await this.cache.invalidate([product.id]);
    return product;
  }
}
