// The file itself, not '#lib/orders': its index loads the HTTP controllers.
import { ORDERS_PERSISTENCE } from '../../../libs/orders/src/orders.persistence.js';
import { openTestDataSource } from '#lib/testing';
import type { DataSource } from 'typeorm';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../saga/throwaway-database.js';

describe('openTestDataSource', () => {
  let throwaway: ThrowawayDatabase;
  const opened: DataSource[] = [];

  beforeAll(async () => {
    throwaway = await createThrowawayDatabase('kit');
    // A name of our own, gone again: openTestDataSource must create it.
    await throwaway.drop();
  });

  afterAll(async () => {
    await Promise.all(opened.map((dataSource) => dataSource.destroy()));
    await throwaway.drop();
  });

  it('creates a missing database once, even when two suites open it together, and migrates it', async () => {
    const open = () =>
      openTestDataSource({ url: throwaway.url, features: [ORDERS_PERSISTENCE], poolMax: 2 });

    opened.push(...(await Promise.all([open(), open()])));

    for (const dataSource of opened) {
      const [row] = await dataSource.query<{ database: string; outbox: string | null }[]>(
        `SELECT current_database() AS database, to_regclass('orders.outbox')::text AS outbox`,
      );
      expect(row).toEqual({
        database: new URL(throwaway.url).pathname.slice(1),
        outbox: 'orders.outbox',
      });
      expect(dataSource.entityMetadatas.map((meta) => meta.tableName)).toEqual(
        expect.arrayContaining(['orders', 'order_lines']),
      );
    }
  });
});
