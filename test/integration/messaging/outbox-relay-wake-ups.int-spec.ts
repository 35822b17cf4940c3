import type { MessageEnvelope } from '#lib/contracts';
import { TransactionRunner } from '#lib/database';
import {
  createEnvelope,
  MessagingSchemas,
  OutboxEventPublisher,
  OutboxRelay,
  OutboxRelayMetrics,
  resolveOutboxRelayOptions,
} from '#lib/messaging';
import pg from 'pg';
import { type Counter, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import {
  createMessagingDataSource,
  MESSAGING_TEST_SCHEMAS,
  recordingClient,
  resetMessagingTables,
  waitFor,
} from './messaging-test-app.js';

const ORDER_NOTED = 'orders.v1.order-noted';
const REPORT_REQUESTED = 'reports.v1.report-requested';
const CHECK_NOTED = 'test.v1.check-noted';
const CLAIMS_METRIC = 'outbox_claims_total';
// createMessagingDataSource's pool.
const POOL_SIZE = 10;
// Only a commit (NOTIFY) can wake these relays in time: a poll would come after the test ended.
const NEVER_POLLS_MS = 600_000;

/** A relay of some contexts, counting the claims it runs (each a statement on one outbox). */
interface WatchedRelay {
  readonly relay: OutboxRelay;
  readonly published: MessageEnvelope[];
  /** In every outbox, or in one context's. */
  claims(context?: string): Promise<number>;
}

describe('outbox relay wake-ups', () => {
  let dataSource: DataSource;
  let transactions: TransactionRunner;
  let publisher: OutboxEventPublisher;
  let relays: OutboxRelay[];
  /** Commits through a pool of its own, so that a test can hold every connection of the other. */
  let writer: {
    dataSource: DataSource;
    transactions: TransactionRunner;
    publisher: OutboxEventPublisher;
  };

  const event = (type: string): MessageEnvelope =>
    createEnvelope(type, { at: new Date().toISOString() }, { correlationId: 'wake-ups' });

  const commit = (...envelopes: MessageEnvelope[]): Promise<void> =>
    transactions.run(() => publisher.publish(envelopes));

  const watchedRelay = (schemas: readonly string[]): WatchedRelay => {
    const registry = new Registry();
    const { client, published } = recordingClient();
    const relay = new OutboxRelay(
      dataSource,
      client,
      { relay: resolveOutboxRelayOptions({ pollIntervalMs: NEVER_POLLS_MS }) },
      new MessagingSchemas(schemas),
      undefined,
      new OutboxRelayMetrics(registry),
    );
    relays.push(relay);
    const claims = async (context?: string): Promise<number> => {
      const counter = registry.getSingleMetric(CLAIMS_METRIC) as Counter | undefined;
      const values = (await counter?.get())?.values ?? [];
      return values
        .filter((value) => context === undefined || value.labels.context === context)
        .reduce((sum, value) => sum + value.value, 0);
    };
    return { relay, published, claims };
  };

  const publishedIds = (watched: WatchedRelay): string[] =>
    watched.published.map((envelope) => envelope.id);

  const marked = async (id: string): Promise<boolean> => {
    const [row] = await dataSource.query<{ published: boolean }[]>(
      `SELECT published_at IS NOT NULL AS published FROM "orders".outbox WHERE id = $1`,
      [id],
    );
    return row?.published === true;
  };

  /** Starts the relay and returns once it listens: it has published a row committed before. */
  const startListening = async (watched: WatchedRelay, type: string): Promise<void> => {
    const first = event(type);
    await commit(first);
    watched.relay.start();
    await waitFor(() => publishedIds(watched).includes(first.id));
  };

  beforeAll(async () => {
    dataSource = await createMessagingDataSource('outbox_wake_ups');
    transactions = new TransactionRunner(dataSource);
    publisher = new OutboxEventPublisher(transactions, MESSAGING_TEST_SCHEMAS);
    const writerSource = await createMessagingDataSource('outbox_wake_ups');
    const writerTransactions = new TransactionRunner(writerSource);
    writer = {
      dataSource: writerSource,
      transactions: writerTransactions,
      publisher: new OutboxEventPublisher(writerTransactions, MESSAGING_TEST_SCHEMAS),
    };
  });

  beforeEach(async () => {
    await resetMessagingTables(dataSource);
    relays = [];
  });

  afterEach(async () => {
    await Promise.all(relays.map((relay) => relay.stop()));
  });

  afterAll(async () => {
    await writer.dataSource.destroy();
    await dataSource.destroy();
  });

  it('publishes a row as soon as it is committed, without waiting for the next poll', async () => {
    const orders = watchedRelay(['orders']);
    await startListening(orders, ORDER_NOTED);

    const later = event(ORDER_NOTED);
    await commit(later);

    await waitFor(() => publishedIds(orders).includes(later.id));
  });

  it('is woken by commits to the outboxes it relays, not by those of other contexts', async () => {
    const orders = watchedRelay(['orders']);
    const reports = watchedRelay(['reports']);
    await startListening(orders, ORDER_NOTED);
    await startListening(reports, REPORT_REQUESTED);
    const reportClaimsBefore = await reports.claims();

    const ordersOnly = [event(ORDER_NOTED), event(ORDER_NOTED), event(ORDER_NOTED)];
    for (const envelope of ordersOnly) await commit(envelope);
    await waitFor(() => ordersOnly.every((envelope) => publishedIds(orders).includes(envelope.id)));
    // Notifications reach a listener in commit order: by the time the reports relay has
    // published this one, it has seen any notification of the orders commits before it.
    const report = event(REPORT_REQUESTED);
    await commit(report);
    await waitFor(() => publishedIds(reports).includes(report.id));

    expect((await reports.claims()) - reportClaimsBefore).toBe(1);
    expect(publishedIds(reports)).not.toEqual(
      expect.arrayContaining(ordersOnly.map((envelope) => envelope.id)),
    );
  });

  it('claims once per commit, not again after every publish', async () => {
    const orders = watchedRelay(['orders']);
    const first = event(ORDER_NOTED);
    await commit(first);
    orders.relay.start();
    await waitFor(() => marked(first.id));

    const second = event(ORDER_NOTED);
    await commit(second);
    await waitFor(() => publishedIds(orders).includes(second.id));

    // One claim at start (the first row), one woken by the second commit.
    expect(await orders.claims()).toBe(2);
  });

  it('claims from the outbox a commit wrote to, not from its other contexts', async () => {
    const both = watchedRelay(['orders', 'reports']);
    await startListening(both, ORDER_NOTED);
    const reportClaimsBefore = await both.claims('reports');
    const orderClaimsBefore = await both.claims('orders');

    const orders = [event(ORDER_NOTED), event(ORDER_NOTED)];
    for (const envelope of orders) await commit(envelope);
    await waitFor(() => orders.every((envelope) => publishedIds(both).includes(envelope.id)));
    const report = event(REPORT_REQUESTED);
    await commit(report);
    await waitFor(() => publishedIds(both).includes(report.id));

    expect((await both.claims('reports')) - reportClaimsBefore).toBe(1);
    // One claim per commit at most (two commits may be announced before one claim).
    const orderClaims = (await both.claims('orders')) - orderClaimsBefore;
    expect(orderClaims).toBeGreaterThanOrEqual(1);
    expect(orderClaims).toBeLessThanOrEqual(orders.length);
  });

  it('claims from every outbox at each poll, finding rows no commit announced', async () => {
    const registry = new Registry();
    const { client, published } = recordingClient();
    const relay = new OutboxRelay(
      dataSource,
      client,
      { relay: resolveOutboxRelayOptions({ pollIntervalMs: 200 }) },
      new MessagingSchemas(['orders', 'reports']),
      undefined,
      new OutboxRelayMetrics(registry),
    );
    relays.push(relay);
    const watched: WatchedRelay = { relay, published, claims: async () => 0 };
    await startListening(watched, ORDER_NOTED);
    // Written without the NOTIFY of a commit, as a row whose retry comes due is.
    const unannounced = event(REPORT_REQUESTED);
    const { id, type, payload, version, occurredAt, correlationId } = unannounced;
    await dataSource.query(
      `INSERT INTO "reports".outbox (id, type, payload, headers) VALUES ($1, $2, $3, $4)`,
      [id, type, JSON.stringify(payload), JSON.stringify({ version, occurredAt, correlationId })],
    );

    await waitFor(() => publishedIds(watched).includes(unannounced.id));
  });

  it('claims and publishes on its own connection while the pool is taken', async () => {
    const orders = watchedRelay(['orders']);
    await startListening(orders, ORDER_NOTED);
    // Every connection of the relay's pool held, as by requests waiting for something else.
    const held = await Promise.all(
      Array.from({ length: POOL_SIZE }, async () => {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        return runner;
      }),
    );
    try {
      const later = event(ORDER_NOTED);
      await writer.transactions.run(() => writer.publisher.publish([later]));

      await waitFor(() => publishedIds(orders).includes(later.id));
    } finally {
      await Promise.all(held.map((runner) => runner.release()));
    }
  });

  it('notifies the channels of the contexts a commit wrote to, and no other', async () => {
    const channels = MESSAGING_TEST_SCHEMAS.names.map((schema) => `messaging_outbox_${schema}`);
    const listener = new pg.Client({
      connectionString: (dataSource.options as { url?: string }).url,
    });
    const heard: string[] = [];
    listener.on('notification', (notification) => heard.push(notification.channel));
    await listener.connect();
    try {
      await listener.query(channels.map((channel) => `LISTEN ${channel}`).join('; '));

      await commit(event(ORDER_NOTED), event(REPORT_REQUESTED), event(ORDER_NOTED));
      // A later commit's notification comes after every one of the first commit's.
      await commit(event(CHECK_NOTED));
      await waitFor(() => heard.includes('messaging_outbox_test'));

      expect(heard).toEqual([
        'messaging_outbox_orders',
        'messaging_outbox_reports',
        'messaging_outbox_test',
      ]);
    } finally {
      await listener.end();
    }
  });
});
