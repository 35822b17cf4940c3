import { randomUUID } from 'node:crypto';
import { type DatabaseFeature, runMigrations, TransactionRunner } from '#lib/database';
import {
  createEnvelope,
  IdempotentConsumer,
  type MessagingClient,
  MessagingSchemas,
  OutboxEventPublisher,
  OutboxRelay,
  resolveOutboxRelayOptions,
  TypeormDeadLetterStore,
  TypeormDeliveryRetryStore,
} from '#lib/messaging';
import { openTestDataSource } from '#lib/testing';
import type { DataSource } from 'typeorm';
// The files themselves, not the contexts' indexes: those load HTTP controllers Jest cannot load.
import { CATALOG_PERSISTENCE } from '../../../libs/catalog/src/catalog.persistence.js';
import { IDENTITY_PERSISTENCE } from '../../../libs/identity/src/identity.persistence.js';
import { NOTIFICATIONS_PERSISTENCE } from '../../../libs/notifications/src/notifications.persistence.js';
import { ORDERS_PERSISTENCE } from '../../../libs/orders/src/orders.persistence.js';
import { PAYMENTS_PERSISTENCE } from '../../../libs/payments/src/payments.persistence.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../saga/throwaway-database.js';
import { recordingClient } from './messaging-test-app.js';

const CONTEXTS: readonly DatabaseFeature[] = [
  IDENTITY_PERSISTENCE,
  CATALOG_PERSISTENCE,
  ORDERS_PERSISTENCE,
  PAYMENTS_PERSISTENCE,
  NOTIFICATIONS_PERSISTENCE,
];
const SCHEMAS = CONTEXTS.map((feature) => feature.schema);
const MESSAGING_TABLES = ['dead_letters', 'delivery_retries', 'outbox', 'processed_messages'];
const HEADERS = '{"version":1,"occurredAt":"2026-01-01T00:00:00.000Z","correlationId":"c"}';

/** The shared tables as the previous release left them (its four migrations, applied). */
async function createSharedTables(dataSource: DataSource): Promise<void> {
  await dataSource.query('CREATE SCHEMA messaging');
  await dataSource.query(`
    CREATE TABLE messaging.outbox (
      id uuid PRIMARY KEY, position bigint GENERATED ALWAYS AS IDENTITY, type text NOT NULL,
      payload jsonb NOT NULL, headers jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz NULL, attempts integer NOT NULL DEFAULT 0, last_error text NULL,
      next_attempt_at timestamptz NOT NULL DEFAULT now(), lease_until timestamptz NULL,
      owner text NULL)`);
  await dataSource.query(`
    CREATE TABLE messaging.processed_messages (
      consumer text NOT NULL, message_id uuid NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (consumer, message_id))`);
  await dataSource.query(`
    CREATE TABLE messaging.dead_letters (
      id uuid PRIMARY KEY, consumer text NOT NULL, type text NOT NULL, message_id text NULL,
      envelope jsonb NULL, reason text NOT NULL, error jsonb NOT NULL, attempts integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
  await dataSource.query(`
    CREATE TABLE messaging.delivery_retries (
      id uuid PRIMARY KEY, consumer text NOT NULL, type text NOT NULL, envelope jsonb NULL,
      attempts integer NOT NULL, last_error text NOT NULL, next_attempt_at timestamptz NOT NULL,
      leased_until timestamptz NULL, created_at timestamptz NOT NULL DEFAULT now(),
      owner text NULL)`);
  await dataSource.query(`CREATE TABLE messaging.migrations (id serial PRIMARY KEY)`);
}

async function insertSharedOutbox(dataSource: DataSource, ...types: string[]): Promise<string[]> {
  const ids = types.map(() => randomUUID());
  for (const [index, type] of types.entries()) {
    await dataSource.query(
      `INSERT INTO messaging.outbox (id, type, payload, headers, owner)
       VALUES ($1, $2, '{}', $3, 'monolith')`,
      [ids[index], type, HEADERS],
    );
  }
  return ids;
}

async function insertSharedConsumerRows(dataSource: DataSource): Promise<void> {
  await dataSource.query(
    `INSERT INTO messaging.processed_messages (consumer, message_id)
     VALUES ('catalog.release-order-stock', $1), ('payments.open-payment', $2)`,
    [randomUUID(), randomUUID()],
  );
  await dataSource.query(
    `INSERT INTO messaging.dead_letters (id, consumer, type, reason, error, attempts)
     VALUES ($1, 'notifications.order-paid', 'orders.v1.order-paid', 'failed', '{}', 5),
            ($2, 'orders', 'payments.v1.payment-failed', 'unreadable', '{}', 1)`,
    [randomUUID(), randomUUID()],
  );
  await dataSource.query(
    `INSERT INTO messaging.delivery_retries
            (id, consumer, type, envelope, attempts, last_error, next_attempt_at, owner)
     VALUES ($1, 'payments.cancel-payment', 'orders.v1.order-cancelled', '{}', 2, 'down',
             now(), 'payments')`,
    [randomUUID()],
  );
}

async function rowsOf(
  dataSource: DataSource,
  table: string,
  column: string,
): Promise<Record<string, string[]>> {
  const rows: Record<string, string[]> = {};
  for (const schema of [...SCHEMAS, 'messaging']) {
    const [present] = await dataSource.query<{ at: string | null }[]>(
      'SELECT to_regclass($1)::text AS at',
      [`${schema}.${table}`],
    );
    if (!present?.at) continue;
    const found = await dataSource.query<{ value: string }[]>(
      `SELECT ${column}::text AS value FROM ${schema}.${table} ORDER BY 1`,
    );
    if (found.length > 0) rows[schema] = found.map((row) => row.value);
  }
  return rows;
}

async function sharedSchemaExists(dataSource: DataSource): Promise<boolean> {
  const [row] = await dataSource.query<{ present: boolean }[]>(
    `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'messaging') AS present`,
  );
  return row?.present ?? false;
}

describe('each context owns its messaging tables', () => {
  const databases: ThrowawayDatabase[] = [];
  const sources: DataSource[] = [];

  async function freshDatabase(features: readonly DatabaseFeature[] = []): Promise<DataSource> {
    const database = await createThrowawayDatabase('msg_tables');
    databases.push(database);
    const dataSource = await openTestDataSource({ url: database.url, features, poolMax: 6 });
    sources.push(dataSource);
    return dataSource;
  }

  afterAll(async () => {
    await Promise.all(sources.map((source) => source.destroy()));
    await Promise.all(databases.map((database) => database.drop()));
  });

  describe('migrations', () => {
    it('gives each context its outbox, processed messages, dead letters and retries in its own schema, and there is no shared one', async () => {
      const dataSource = await freshDatabase(CONTEXTS);

      const tables = await dataSource.query<{ schema: string; name: string }[]>(
        `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
          WHERE table_name = ANY($1) ORDER BY 1, 2`,
        [MESSAGING_TABLES],
      );

      expect(tables).toEqual(
        [...SCHEMAS].sort().flatMap((schema) => MESSAGING_TABLES.map((name) => ({ schema, name }))),
      );
      expect(await sharedSchemaExists(dataSource)).toBe(false);
    });

    it('moves the shared rows to the owning contexts, whichever migrates first, and drops the emptied shared schema', async () => {
      const dataSource = await freshDatabase();
      await createSharedTables(dataSource);
      const [firstPlaced, paid, secondPlaced] = await insertSharedOutbox(
        dataSource,
        'orders.v1.order-placed',
        'payments.v1.payment-succeeded',
        'orders.v1.order-placed',
      );
      await insertSharedConsumerRows(dataSource);

      // Orders migrates alone first: its events move, everyone else's stay where they were.
      await runMigrations(dataSource, [ORDERS_PERSISTENCE]);

      expect(await rowsOf(dataSource, 'outbox', 'id')).toEqual({
        orders: [firstPlaced, secondPlaced].sort(),
        messaging: [paid],
      });
      const ordered = await dataSource.query<{ id: string }[]>(
        'SELECT id FROM orders.outbox ORDER BY position',
      );
      expect(ordered.map((row) => row.id)).toEqual([firstPlaced, secondPlaced]);
      expect(await sharedSchemaExists(dataSource)).toBe(true);

      // The other apps migrate at the same time, each under its own lock.
      await Promise.all(
        CONTEXTS.filter((feature) => feature !== ORDERS_PERSISTENCE).map((feature) =>
          runMigrations(dataSource, [feature]),
        ),
      );

      expect(await rowsOf(dataSource, 'outbox', 'type')).toEqual({
        orders: ['orders.v1.order-placed', 'orders.v1.order-placed'],
        payments: ['payments.v1.payment-succeeded'],
      });
      expect(await rowsOf(dataSource, 'outbox', 'owner')).toEqual({
        orders: ['monolith', 'monolith'],
        payments: ['monolith'],
      });
      expect(await rowsOf(dataSource, 'processed_messages', 'consumer')).toEqual({
        catalog: ['catalog.release-order-stock'],
        payments: ['payments.open-payment'],
      });
      expect(await rowsOf(dataSource, 'dead_letters', 'consumer')).toEqual({
        notifications: ['notifications.order-paid'],
        orders: ['orders'],
      });
      expect(await rowsOf(dataSource, 'delivery_retries', 'owner')).toEqual({
        payments: ['payments'],
      });
      expect(await sharedSchemaExists(dataSource)).toBe(false);
    });

    it('leaves rows that name no context in the shared schema, which then stays for an operator', async () => {
      const dataSource = await freshDatabase();
      await createSharedTables(dataSource);
      await insertSharedOutbox(dataSource, 'orders.v1.order-placed', 'legacy.v1.unknown');

      await runMigrations(dataSource, CONTEXTS);

      expect(await rowsOf(dataSource, 'outbox', 'type')).toEqual({
        orders: ['orders.v1.order-placed'],
        messaging: ['legacy.v1.unknown'],
      });
      expect(await sharedSchemaExists(dataSource)).toBe(true);
      // Nothing runs twice: the migrations are recorded per context.
      expect(await runMigrations(dataSource, CONTEXTS)).toEqual([]);
    });
  });

  describe('writers and the relay', () => {
    let dataSource: DataSource;
    const schemas = new MessagingSchemas(SCHEMAS);

    beforeAll(async () => {
      dataSource = await freshDatabase(CONTEXTS);
    });

    it("writes an event into its publishing context's outbox", async () => {
      const publisher = new OutboxEventPublisher(new TransactionRunner(dataSource), schemas);

      await publisher.publish([
        createEnvelope('orders.v1.order-placed', { orderId: randomUUID() }),
        createEnvelope('payments.v1.payment-succeeded', { orderId: randomUUID() }),
      ]);

      expect(await rowsOf(dataSource, 'outbox', 'type')).toEqual({
        orders: ['orders.v1.order-placed'],
        payments: ['payments.v1.payment-succeeded'],
      });
    });

    it('refuses an event of no context of the app, and writes none of the batch', async () => {
      const publisher = new OutboxEventPublisher(
        new TransactionRunner(dataSource),
        new MessagingSchemas(['orders']),
      );
      const before = await rowsOf(dataSource, 'outbox', 'id');

      await expect(
        publisher.publish([
          createEnvelope('orders.v1.order-placed', { orderId: randomUUID() }),
          createEnvelope('catalog.v1.stock-released', { orderId: randomUUID() }),
        ]),
      ).rejects.toThrow(/event type "catalog.v1.stock-released" names no context of this app/);
      expect(await rowsOf(dataSource, 'outbox', 'id')).toEqual(before);
    });

    it("records a consumer's processed message, retry and dead letter in the consumer's context", async () => {
      const messageId = randomUUID();
      const transactions = new TransactionRunner(dataSource);

      await new IdempotentConsumer(transactions, schemas).handle(
        'catalog.release-order-stock',
        { id: messageId },
        async () => undefined,
      );
      const retries = new TypeormDeliveryRetryStore(dataSource, schemas);
      await retries.schedule(
        {
          consumer: 'payments.cancel-payment',
          type: 'orders.v1.order-cancelled',
          envelope: { id: messageId },
          attempts: 1,
          lastError: 'down',
        },
        0,
      );
      const deadLetters = new TypeormDeadLetterStore(dataSource, schemas);
      const deadLetter = {
        type: 'orders.v1.order-paid',
        envelope: {},
        reason: 'failed',
        error: { code: 'MESSAGING.INTERNAL', message: 'failed' },
        attempts: 3,
      };
      await deadLetters.record({ ...deadLetter, consumer: 'notifications.order-paid' });
      // What an app dead-letters under its own name: a message none of its handlers could read.
      await deadLetters.record({ ...deadLetter, consumer: 'catalog' });

      expect(await rowsOf(dataSource, 'processed_messages', 'message_id')).toEqual({
        catalog: [messageId],
      });
      expect(await rowsOf(dataSource, 'delivery_retries', 'consumer')).toEqual({
        payments: ['payments.cancel-payment'],
      });
      expect(await rowsOf(dataSource, 'dead_letters', 'consumer')).toEqual({
        catalog: ['catalog'],
        notifications: ['notifications.order-paid'],
      });

      const [claimed] = await retries.claimDue(['payments.cancel-payment'], 10, 60_000);
      expect(claimed).toMatchObject({ consumer: 'payments.cancel-payment' });
      await retries.remove(claimed.id);
      expect(await rowsOf(dataSource, 'delivery_retries', 'consumer')).toEqual({});
    });

    it("relays only the outboxes of the app's own contexts", async () => {
      await dataSource.query(`TRUNCATE ${SCHEMAS.map((schema) => `${schema}.outbox`).join(', ')}`);
      const publisher = new OutboxEventPublisher(new TransactionRunner(dataSource), schemas);
      await publisher.publish([
        createEnvelope('orders.v1.order-placed', { orderId: randomUUID() }),
        createEnvelope('catalog.v1.stock-released', { orderId: randomUUID() }),
      ]);
      const relayOf = (contexts: string[], client: MessagingClient) =>
        new OutboxRelay(
          dataSource,
          client,
          { relay: resolveOutboxRelayOptions({ enabled: false }) },
          new MessagingSchemas(contexts),
        );
      const ordersApp = recordingClient();
      const identityApp = recordingClient();

      expect(await relayOf(['orders'], ordersApp.client).relayBatch()).toBe(1);
      expect(await relayOf(['identity'], identityApp.client).relayBatch()).toBe(0);

      expect(ordersApp.published.map((envelope) => envelope.type)).toEqual([
        'orders.v1.order-placed',
      ]);
      expect(identityApp.published).toEqual([]);
      const pending = await dataSource.query<{ schema: string }[]>(
        `SELECT 'orders' AS schema FROM orders.outbox WHERE published_at IS NULL
          UNION ALL SELECT 'catalog' FROM catalog.outbox WHERE published_at IS NULL`,
      );
      expect(pending).toEqual([{ schema: 'catalog' }]);
    });
  });
});
