import { Clock } from '#lib/kernel';
import { Injectable } from '@nestjs/common';
import { Money } from '../domain/money.js';
import { Product } from '../domain/product.js';
import { ProductRepository } from '../repositories/product.repository.js';

export interface CreateProductCommand {
  readonly sku: string;
  readonly name: string;
  readonly description?: string;
  /** Minor units. */
  readonly priceAmount: number;
  readonly currency: string;
  readonly stock: number;
}

/** Admin: puts a new product on sale. */
@Injectable()
export class CreateProductService {
  constructor(
    private readonly products: ProductRepository,
    private readonly clock: Clock,
  ) {}

  /** Throws SkuTakenError when the SKU is in use (by a product on sale or not). */
  async create(command: CreateProductCommand): Promise<Product> {
    const product = Product.create({
      sku: command.sku,
      name: command.name,
      ...(command.description !== undefined && { description: command.description }),
      price: Money.of(command.priceAmount, command.currency),
      stock: command.stock,
      now: this.clock.now(),
    });
    await this.products.insert(product);
    return product;
  }
}
