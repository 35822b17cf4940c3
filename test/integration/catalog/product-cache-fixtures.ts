import { Money } from '../../../libs/catalog/src/domain/money.js';
import { Product } from '../../../libs/catalog/src/domain/product.js';

/** A product of its own per test (a unique SKU), as the cache suites store and read them. */
export const newCachedProduct = (): Product =>
  Product.create({
    sku: `CACHE-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
    name: 'Cached mug',
    description: 'Fast',
    price: Money.of(1299, 'EUR'),
    stock: 4,
    now: new Date('2026-04-01T12:00:00.000Z'),
  });

/** Retries `check` until it passes, for up to 5 s: connections are made in the background. */
export async function eventually(check: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
