import type { DataSource } from 'typeorm';
import { TransactionRunner } from '#lib/database';
import { openTestDataSource } from '#lib/testing';
// Not '#lib/orders': its index loads the HTTP controllers, whose guards Jest cannot load.
import { ORDERS_PERSISTENCE } from '../../../libs/orders/src/orders.persistence.js';
import { TEST_DATABASE_URL } from '../../support/test-environment.js';

/**
 * The orders schema, its messaging tables included, in a database of their own (`<test db>_orders`), migrated as
 * the app migrates them. Apart from the shared test database so that no running app's outbox relay
 * publishes what these tests write. Suites may run in parallel: each uses its own customer ids.
 */
export async function openOrdersDatabase(): Promise<{
  dataSource: DataSource;
  transactions: TransactionRunner;
  close(): Promise<void>;
}> {
  const dataSource = await openTestDataSource({
    url: TEST_DATABASE_URL,
    features: [ORDERS_PERSISTENCE],
    ownDatabase: 'orders',
    poolMax: 12,
  });
  return {
    dataSource,
    transactions: new TransactionRunner(dataSource),
    close: () => dataSource.destroy(),
  };
}
