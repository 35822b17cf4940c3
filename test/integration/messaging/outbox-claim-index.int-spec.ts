import { dropOutboxDueIndexMigration, MessagingSchemas } from '#lib/messaging';
import type { DataSource } from 'typeorm';
import { OutboxClaims } from '../../../libs/messaging/src/outbox/outbox-claims.js';
import { createMessagingDataSource, resetMessagingTables } from './messaging-test-app.js';

const ROWS = 20_000;
const UNPUBLISHED = 120;

describe("the outbox relay's claim on an outbox full of published rows", () => {
  let dataSource: DataSource;
  let claims: OutboxClaims;

  beforeAll(async () => {
    dataSource = await createMessagingDataSource('claim_index');
    await resetMessagingTables(dataSource);
    claims = new OutboxClaims(dataSource, new MessagingSchemas(['orders']));
    await dataSource.query(
      `INSERT INTO orders.outbox (id, type, payload, headers)
       SELECT gen_random_uuid(), 'orders.v1.order-placed', '{}', '{}' FROM generate_series(1, $1)`,
      [ROWS],
    );
    // Published since the last vacuum: their entries are still in the partial indexes, dead.
    await dataSource.query(
      `UPDATE orders.outbox SET published_at = clock_timestamp()
        WHERE position <= (SELECT min(position) FROM orders.outbox) + $1 - 1`,
      [ROWS - UNPUBLISHED],
    );
    await dataSource.query('ANALYZE orders.outbox');
  });

  afterAll(async () => {
    await resetMessagingTables(dataSource);
    await dataSource.destroy();
  });

  it('walks the unpublished rows in position order through their own index', async () => {
    const plans: unknown[] = [];
    await claims.claim(50, 1_000, async (statement, parameters) => {
      plans.push(await dataSource.query(`EXPLAIN (FORMAT JSON) ${statement}`, [...parameters]));
      return [];
    });

    expect(JSON.stringify(plans)).toContain('"Index Name":"outbox_claim_idx"');
  });

  it("keeps no index the relay does not use: the due index is dropped, and its migration's down builds it again", async () => {
    const indexes = async (): Promise<string[]> =>
      (
        await dataSource.query<{ name: string }[]>(
          `SELECT indexname AS name FROM pg_indexes
            WHERE schemaname = 'orders' AND tablename = 'outbox' ORDER BY indexname`,
        )
      ).map((index) => index.name);
    expect(await indexes()).toEqual(['outbox_claim_idx', 'outbox_pkey']);

    const Migration = dropOutboxDueIndexMigration('orders', 1);
    const runner = dataSource.createQueryRunner();
    try {
      await new Migration().down(runner);
      expect(await indexes()).toEqual(['outbox_claim_idx', 'outbox_due_idx', 'outbox_pkey']);
      await new Migration().up(runner);
    } finally {
      await runner.release();
    }
    expect(await indexes()).toEqual(['outbox_claim_idx', 'outbox_pkey']);
  });

  it('claims the oldest unpublished rows first', async () => {
    const oldest = await dataSource.query<{ id: string }[]>(
      `SELECT id FROM orders.outbox WHERE published_at IS NULL ORDER BY position LIMIT 50`,
    );

    const claimed = await claims.claim(50, 1_000);

    expect(claimed.map((row) => row.id)).toEqual(oldest.map((row) => row.id));
  });
});
