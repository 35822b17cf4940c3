import { Money } from '../domain/money.js';
import { Product } from '../domain/product.js';

/** A product as JSON in the cache. `v` changes with the shape, so old entries read as misses. */
export interface ProductCacheEntry {
  readonly v: 1;
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly price: { readonly amount: number; readonly currency: string };
  readonly stock: number;
  readonly active: boolean;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

const isEntry = (value: unknown): value is ProductCacheEntry => {
  const entry = value as Partial<ProductCacheEntry> | null | undefined;
  return (
    entry?.v === 1 &&
    typeof entry.id === 'string' &&
    typeof entry.sku === 'string' &&
    typeof entry.name === 'string' &&
    typeof entry.description === 'string' &&
    typeof entry.price?.amount === 'number' &&
    typeof entry.price.currency === 'string' &&
    typeof entry.stock === 'number' &&
    typeof entry.active === 'boolean' &&
    typeof entry.version === 'number' &&
    typeof entry.createdAt === 'string' &&
    typeof entry.updatedAt === 'string'
  );
};

export const ProductCacheEntryMapper = {
  toEntry(product: Product): ProductCacheEntry {
    const snapshot = product.toSnapshot();
    return {
      v: 1,
      ...snapshot,
      price: { amount: snapshot.price.amount, currency: snapshot.price.currency },
      createdAt: snapshot.createdAt.toISOString(),
      updatedAt: snapshot.updatedAt.toISOString(),
    };
  },

  /** The product, or undefined for anything that is not an entry of this shape (a miss). */
  toProduct(value: unknown): Product | undefined {
    if (!isEntry(value)) return undefined;
    return Product.restore({
      id: value.id,
      sku: value.sku,
      name: value.name,
      description: value.description,
      price: Money.of(value.price.amount, value.price.currency),
      stock: value.stock,
      active: value.active,
      version: value.version,
      createdAt: new Date(value.createdAt),
      updatedAt: new Date(value.updatedAt),
    });
  },
};
