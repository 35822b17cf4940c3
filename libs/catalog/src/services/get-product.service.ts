import { Injectable } from '@nestjs/common';
import type { Product } from '../domain/product.js';
import { ProductNotFoundError } from '../domain/product.errors.js';
import { ProductCacheAside } from './product-cache-aside.js';

/** A product on sale, for shoppers; served from the cache when it can be. */
@Injectable()
export class GetProductService {
  constructor(private readonly products: ProductCacheAside) {}

  /** Throws ProductNotFoundError for an unknown id and for a product no longer on sale alike. */
  async onSale(id: string): Promise<Product> {
    const product = await this.products.get(id);
    if (!product?.active) throw new ProductNotFoundError(id);
    return product;
  }
}
