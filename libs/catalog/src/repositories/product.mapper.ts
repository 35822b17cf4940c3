import { Money } from '../domain/money.js';
import { Product } from '../domain/product.js';
import { ProductRecord } from './product.record.js';

export const ProductMapper = {
  toDomain(record: ProductRecord): Product {
    return Product.restore({
      id: record.id,
      sku: record.sku,
      name: record.name,
      description: record.description,
      price: Money.of(record.priceAmount, record.priceCurrency),
      stock: record.stock,
      active: record.active,
      version: record.version,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    });
  },

  toRecord(product: Product): ProductRecord {
    const { price, ...snapshot } = product.toSnapshot();
    return Object.assign(new ProductRecord(), {
      ...snapshot,
      priceAmount: price.amount,
      priceCurrency: price.currency,
    });
  },
};
