import { Injectable } from '@nestjs/common';
import { type PricedBasket, priceBasket } from '../domain/basket.js';
import type { StockLine } from '../domain/stock-lines.js';
import { ProductRepository } from '../repositories/product.repository.js';

/**
 * For the orders context: a basket at current prices. Reads Postgres, not the cache: a price that
 * is about to be snapshotted on an order must be the committed one.
 */
@Injectable()
export class PriceBasketService {
  constructor(private readonly products: ProductRepository) {}

  async price(items: readonly StockLine[]): Promise<PricedBasket> {
    const ids = [...new Set(items.map((item) => item.productId))];
    return priceBasket(items, await this.products.findByIds(ids));
  }
}
