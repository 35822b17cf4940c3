import { randomBytes } from 'node:crypto';
import { ReadReplicas, TransactionRunner } from '#lib/database';
import { openTestDataSource } from '#lib/testing';
import { CATALOG_PERSISTENCE } from '../../../libs/catalog/src/catalog.persistence.js';
import { Money } from '../../../libs/catalog/src/domain/money.js';
import { Product } from '../../../libs/catalog/src/domain/product.js';
import { TypeormProductRepository } from '../../../libs/catalog/src/repositories/product.typeorm-repository.js';
import { TypeormReservationRepository } from '../../../libs/catalog/src/repositories/reservation.typeorm-repository.js';
import { TEST_DATABASE_URL } from '../../support/test-environment.js';

/** A word no other suite's products contain, so a suite's searches only find its own products. */
export const uniqueWord = (): string =>
  `zq${randomBytes(6)
    .toString('hex')
    .replace(/[0-9]/g, (digit) => 'abcdefghij'[Number(digit)])}`;

export const uniqueSku = (label = 'T'): string =>
  `${label}-${randomBytes(6).toString('hex')}`.toUpperCase();

/**
 * The catalog schema in the shared test database, migrated exactly as the app migrates it (same
 * migrations table). Tests create their own products and orders and delete only those afterwards:
 * other suites use the same tables at the same time.
 */
export async function openCatalogDatabase(poolSize = 10) {
  const dataSource = await openTestDataSource({
    url: TEST_DATABASE_URL,
    features: [CATALOG_PERSISTENCE],
    poolMax: poolSize,
  });
  const transactions = new TransactionRunner(dataSource);
  const products = new TypeormProductRepository(transactions, new ReadReplicas(transactions));
  const productIds: string[] = [];
  const orderIds: string[] = [];
  return {
    dataSource,
    transactions,
    products,
    reservations: new TypeormReservationRepository(transactions),
    /** Inserts a product on sale and remembers it for deletion. */
    async newProduct(
      input: Partial<{
        sku: string;
        name: string;
        description: string;
        amount: number;
        currency: string;
        stock: number;
        at: Date;
      }> = {},
    ): Promise<Product> {
      const product = Product.create({
        sku: input.sku ?? uniqueSku(),
        name: input.name ?? 'Test product',
        description: input.description ?? '',
        price: Money.of(input.amount ?? 1000, input.currency ?? 'EUR'),
        stock: input.stock ?? 10,
        now: input.at ?? new Date(),
      });
      await products.insert(product);
      productIds.push(product.id);
      return product;
    },
    track(product: { id: string }): void {
      productIds.push(product.id);
    },
    trackOrder(orderId: string): void {
      orderIds.push(orderId);
    },
    async stockOf(productId: string): Promise<number> {
      const [row] = await dataSource.query<{ stock: number }[]>(
        'SELECT stock FROM catalog.products WHERE id = $1',
        [productId],
      );
      return row.stock;
    },
    async close(): Promise<void> {
      if (orderIds.length > 0) {
        await dataSource.query(
          'DELETE FROM catalog.reservations WHERE order_id = ANY($1::uuid[])',
          [orderIds],
        );
      }
      if (productIds.length > 0) {
        await dataSource.query('DELETE FROM catalog.products WHERE id = ANY($1::uuid[])', [
          productIds,
        ]);
      }
      await dataSource.destroy();
    },
  };
}

export type CatalogDatabase = Awaited<ReturnType<typeof openCatalogDatabase>>;
