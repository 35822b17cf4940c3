import { setTimeout as sleep } from 'node:timers/promises';
import type { MessageEnvelope } from '#lib/contracts';
import { TransactionRunner } from '#lib/database';
import {
  createEnvelope,
  MessagingClient,
  OutboxEventPublisher,
  OutboxRelay,
  type OutboxRelayOptions,
  OutboxRelayMetrics,
  resolveOutboxRelayOptions,
} from '#lib/messaging';
import { type Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import {
  createMessagingDataSource,
  everyContextAsOne,
  MESSAGING_TEST_SCHEMAS,
  resetMessagingTables,
  waitFor,
} from './messaging-test-app.js';
import {
  assertNotLocked,
  BusyConsumer,
  checkedOutConnections,
  idleInTransaction,
} from './outbox-relay-probes.js';
import { ScriptedClientProxy } from './outbox-scripted-transport.js';

const REPORT_REQUESTED = 'reports.v1.report-requested';
const ORDER_NOTED = 'orders.v1.order-noted';
const PUBLISH_DURATION_METRIC = 'outbox_publish_duration_seconds';

interface RowState {
  id: string;
  published: boolean;
  leased: boolean;
}

describe('outbox relay with a slow consumer', () => {
  let dataSource: DataSource;
  let transactions: TransactionRunner;
  let publisher: OutboxEventPublisher;
  let busy: BusyConsumer;
  let noted: string[];
  let transport: ScriptedClientProxy;
  let relays: OutboxRelay[];

  const event = (type: string): MessageEnvelope =>
    createEnvelope(type, { at: new Date().toISOString() }, { correlationId: 'slow-consumer' });

  const commit = (...envelopes: MessageEnvelope[]): Promise<void> =>
    transactions.run(() => publisher.publish(envelopes));

  const relay = (options: OutboxRelayOptions = {}, metrics?: OutboxRelayMetrics): OutboxRelay => {
    const created = new OutboxRelay(
      dataSource,
      new MessagingClient(transport, { rpcTimeoutMs: 1_000 }),
      { relay: resolveOutboxRelayOptions({ pollIntervalMs: 50, ...options }) },
      MESSAGING_TEST_SCHEMAS,
      undefined,
      metrics,
    );
    relays.push(created);
    return created;
  };

  const rows = async (): Promise<RowState[]> =>
    dataSource.query(`
      SELECT id, published_at IS NOT NULL AS published,
             coalesce(lease_until > clock_timestamp(), false) AS leased
        FROM ${everyContextAsOne('outbox')} ORDER BY position`);

  const published = async (ids: readonly string[]): Promise<boolean> =>
    (await rows()).filter((row) => ids.includes(row.id)).every((row) => row.published);

  beforeAll(async () => {
    dataSource = await createMessagingDataSource('outbox_slow_consumer');
    transactions = new TransactionRunner(dataSource);
    publisher = new OutboxEventPublisher(transactions, MESSAGING_TEST_SCHEMAS);
  });

  beforeEach(async () => {
    await resetMessagingTables(dataSource);
    busy = new BusyConsumer();
    noted = [];
    transport = new ScriptedClientProxy({
      [REPORT_REQUESTED]: (envelope) => busy.consume(envelope.id),
      [ORDER_NOTED]: (envelope) => {
        noted.push(envelope.id);
      },
    });
    relays = [];
  });

  afterEach(async () => {
    busy.finish();
    await Promise.all(relays.map((created) => created.stop()));
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('goes on publishing and marking other events while a consumer is still busy, holding no transaction or connection', async () => {
    const slow = event(REPORT_REQUESTED);
    await commit(slow);
    // Only commits (NOTIFY) and freed publish slots wake it: no poll hides a stuck relay.
    relay({ pollIntervalMs: 60_000 }).start();
    await waitFor(() => busy.started.includes(slow.id));

    const later = [event(ORDER_NOTED), event(ORDER_NOTED), event(ORDER_NOTED)];
    await commit(...later);
    const laterIds = later.map((envelope) => envelope.id);

    await waitFor(() => published(laterIds));
    expect([...noted].sort()).toEqual([...laterIds].sort());
    expect((await rows()).find((row) => row.id === slow.id)).toEqual({
      id: slow.id,
      published: false,
      leased: true,
    });
    // The busy row is leased, not locked: nothing holds a transaction on it...
    await assertNotLocked(dataSource, slow.id);
    expect(await idleInTransaction(dataSource)).toEqual([]);
    // ...and the relay gives its pooled connection back while it waits for the consumer.
    await waitFor(() => checkedOutConnections(dataSource) === 0);

    busy.finish();
    await waitFor(() => published([slow.id]));
    expect(transport.received.filter((id) => id === slow.id)).toHaveLength(1);
  });

  it('has at most publishConcurrency publishes in flight, and claims more as slots free up', async () => {
    const slow = [event(REPORT_REQUESTED), event(REPORT_REQUESTED)];
    const queued = [event(ORDER_NOTED), event(ORDER_NOTED), event(ORDER_NOTED)];
    await commit(...slow);

    relay({ publishConcurrency: 2, batchSize: 10 }).start();
    await waitFor(() => busy.started.length === 2);
    // Committed once both slots are taken (the contexts' outboxes are claimed in turn, not in one
    // global order, so committed together these could be claimed first).
    await commit(...queued);
    // Both slots are taken by the busy consumer; give the relay a few polls to overstep.
    await sleep(300);
    expect(noted).toEqual([]);
    expect(transport.inFlight).toBe(2);
    expect((await rows()).filter((row) => row.leased)).toHaveLength(2);

    busy.finish();
    await waitFor(() => published([...slow, ...queued].map((envelope) => envelope.id)));
    expect(noted).toHaveLength(queued.length);
    expect(transport.peakInFlight).toBe(2);
  });

  it('on stop, waits for the publishes in flight and marks them', async () => {
    const slow = event(REPORT_REQUESTED);
    await commit(slow);
    const running = relay();
    running.start();
    await waitFor(() => busy.started.includes(slow.id));

    let stopped = false;
    const stopping = running.stop().then(() => (stopped = true));
    await sleep(100);
    expect(stopped).toBe(false);

    busy.finish();
    await stopping;
    expect(await rows()).toEqual([{ id: slow.id, published: true, leased: false }]);
  });

  it('records how long each publish took, by outcome', async () => {
    const registry = new Registry();
    busy.finish();
    await commit(event(ORDER_NOTED), event(REPORT_REQUESTED));

    expect(await relay({}, new OutboxRelayMetrics(registry)).relayBatch()).toBe(2);

    const histogram = registry.getSingleMetric(PUBLISH_DURATION_METRIC) as Histogram | undefined;
    const count = (await histogram?.get())?.values.find(
      (value) =>
        value.metricName === `${PUBLISH_DURATION_METRIC}_count` &&
        value.labels.outcome === 'published',
    );
    expect(count?.value).toBe(2);
  });
});
