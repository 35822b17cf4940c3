import { DataSource } from 'typeorm';
import {
  ensureDatabaseExists,
  runMigrations,
  SnakeCaseNamingStrategy,
  TransactionRunner,
} from '#lib/database';
import { MESSAGING_PERSISTENCE } from '#lib/messaging';
// Not '#lib/orders': its index loads the HTTP controllers, whose guards Jest cannot load.
import { ORDERS_PERSISTENCE } from '../../../libs/orders/src/orders.persistence.js';
import { TEST_DATABASE_URL } from '../../support/test-environment.js';

/**
 * The orders and messaging schemas in a database of their own (`<test db>_orders`), migrated as
 * the app migrates them. Apart from the shared test database so that no running app's outbox relay
 * publishes what these tests write. Suites may run in parallel: each uses its own customer ids.
 */
export async function openOrdersDatabase(): Promise<{
  dataSource: DataSource;
  transactions: TransactionRunner;
  close(): Promise<void>;
}> {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `${url.pathname}_orders`;
  await ensureDatabaseExists(url.toString()).catch(async (error: unknown) => {
    // Two suites starting together both try to create it; the loser finds it there.
    const code = (error as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw error;
  });
  const dataSource = new DataSource({
    type: 'postgres',
    url: url.toString(),
    entities: [...ORDERS_PERSISTENCE.entities, ...MESSAGING_PERSISTENCE.entities],
    namingStrategy: new SnakeCaseNamingStrategy(),
    extra: { max: 12 },
  });
  await dataSource.initialize();
  await runMigrations(dataSource, [ORDERS_PERSISTENCE, MESSAGING_PERSISTENCE]);
  return {
    dataSource,
    transactions: new TransactionRunner(dataSource),
    close: () => dataSource.destroy(),
  };
}
