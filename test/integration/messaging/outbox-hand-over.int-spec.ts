import type { MessageEnvelope } from '#lib/contracts';
import { TransactionRunner } from '#lib/database';
import {
  createEnvelope,
  type MessagingClient,
  MessagingSchemas,
  OutboxEventPublisher,
  OutboxRelay,
  OutboxRelayMetrics,
  type OutboxRelayOptions,
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
const CLAIMS_METRIC = 'outbox_claims_total';
// Only a hand-over or a commit's NOTIFY can reach these relays in time, never a poll.
const NEVER_POLLS_MS = 600_000;

interface OutboxState {
  readonly published: boolean;
  readonly attempts: number;
  readonly leased: boolean;
}

/** A relay and the publisher that hands its rows over to it, as one process of an app has them. */
interface WritingProcess {
  readonly relay: OutboxRelay;
  readonly publisher: OutboxEventPublisher;
  readonly published: MessageEnvelope[];
  claims(): Promise<number>;
}

describe('outbox rows handed over to their writer’s relay at commit (ADR 0063)', () => {
  let dataSource: DataSource;
  let transactions: TransactionRunner;
  let relays: OutboxRelay[];

  const event = (type = ORDER_NOTED): MessageEnvelope =>
    createEnvelope(type, { at: new Date().toISOString() }, { correlationId: 'hand-over' });

  const writingProcess = (
    options: OutboxRelayOptions = {},
    client: MessagingClient | undefined = undefined,
  ): WritingProcess => {
    const registry = new Registry();
    const recording = recordingClient();
    const relay = new OutboxRelay(
      dataSource,
      client ?? recording.client,
      { relay: resolveOutboxRelayOptions({ pollIntervalMs: NEVER_POLLS_MS, ...options }) },
      MESSAGING_TEST_SCHEMAS,
      undefined,
      new OutboxRelayMetrics(registry),
    );
    relays.push(relay);
    const publisher = new OutboxEventPublisher(
      transactions,
      MESSAGING_TEST_SCHEMAS,
      undefined,
      relay,
    );
    const claims = async (): Promise<number> => {
      const counter = registry.getSingleMetric(CLAIMS_METRIC) as Counter | undefined;
      const values = (await counter?.get())?.values ?? [];
      return values.reduce((sum, value) => sum + value.value, 0);
    };
    return { relay, publisher, published: recording.published, claims };
  };

  const commit = (process: WritingProcess, ...envelopes: MessageEnvelope[]): Promise<void> =>
    transactions.run(() => process.publisher.publish(envelopes));

  /** Starts the relay and returns once it runs: it has published a row committed before. */
  const started = async (process: WritingProcess): Promise<void> => {
    const first = event();
    await commit(process, first);
    process.relay.start();
    await waitFor(() => process.published.some((envelope) => envelope.id === first.id));
  };

  const publishedIds = (process: WritingProcess): string[] =>
    process.published.map((envelope) => envelope.id);

  const stateOf = async (id: string, schema = 'orders'): Promise<OutboxState | undefined> => {
    const [row] = await dataSource.query<OutboxState[]>(
      `SELECT published_at IS NOT NULL AS published, attempts, lease_until IS NOT NULL AS leased
         FROM ${MessagingSchemas.table(schema, 'outbox')} WHERE id = $1`,
      [id],
    );
    return row;
  };

  beforeAll(async () => {
    dataSource = await createMessagingDataSource('outbox_hand_over');
    transactions = new TransactionRunner(dataSource);
  });

  beforeEach(async () => {
    await resetMessagingTables(dataSource);
    relays = [];
  });

  afterEach(async () => {
    await Promise.all(relays.map((relay) => relay.stop()));
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('publishes and marks committed rows of every context without a NOTIFY or a claim', async () => {
    const process = writingProcess();
    await started(process);
    const claimsBefore = await process.claims();
    const listener = new pg.Client({
      connectionString: (dataSource.options as { url?: string }).url,
    });
    const heard: string[] = [];
    listener.on('notification', (notification) => heard.push(notification.channel));
    await listener.connect();
    try {
      await listener.query('LISTEN messaging_outbox_orders; LISTEN messaging_outbox_reports');
      const order = event(ORDER_NOTED);
      const report = event(REPORT_REQUESTED);

      await commit(process, order, report);
      await waitFor(async () => (await stateOf(report.id, 'reports'))?.published === true);
      await waitFor(async () => (await stateOf(order.id))?.published === true);

      expect(publishedIds(process)).toEqual(expect.arrayContaining([order.id, report.id]));
      expect(process.published.find((envelope) => envelope.id === order.id)).toEqual(order);
      expect(await stateOf(order.id)).toEqual({ published: true, attempts: 1, leased: false });
      expect(await process.claims()).toBe(claimsBefore);
      // Notifications reach a listener in commit order: one sent after the hand-over arrives
      // after any the hand-over's commit could have sent.
      await dataSource.query(`SELECT pg_notify('messaging_outbox_reports', '')`);
      await waitFor(() => heard.length > 0);
      expect(heard).toEqual(['messaging_outbox_reports']);
    } finally {
      await listener.end();
    }
  });

  it('hands nothing over for a transaction that rolls back, and frees the slots it held', async () => {
    // Two slots: the start-up claim asks for two, finds one row, and looks in every outbox at once.
    // With one slot it would take the row as a full claim and claim again later, while this runs.
    const process = writingProcess({ publishConcurrency: 2 });
    await started(process);
    const claimsBefore = await process.claims();
    const dropped = [event(), event()];

    await expect(
      transactions.run(async () => {
        await process.publisher.publish(dropped);
        throw new Error('a later step failed');
      }),
    ).rejects.toThrow('a later step failed');
    // Both slots are free again: the next commit of two rows is handed over too, not claimed.
    const next = [event(), event()];
    await commit(process, ...next);
    for (const { id } of next) await waitFor(async () => (await stateOf(id))?.published === true);

    for (const { id } of dropped) {
      expect(await stateOf(id)).toBeUndefined();
      expect(publishedIds(process)).not.toContain(id);
    }
    expect(await stateOf(next[0].id)).toEqual({ published: true, attempts: 1, leased: false });
    expect(await process.claims()).toBe(claimsBefore);
  });

  it('with every publish slot taken, writes the rows unleased and announces them, to be claimed', async () => {
    let releaseSlow: () => void = () => undefined;
    const slowIds: string[] = [];
    const emitted: MessageEnvelope[] = [];
    const client = {
      connect: async () => undefined,
      emit: async (envelope: MessageEnvelope) => {
        if (envelope.type === REPORT_REQUESTED) {
          slowIds.push(envelope.id);
          await new Promise<void>((resolve) => (releaseSlow = resolve));
        }
        emitted.push(envelope);
      },
    } as unknown as MessagingClient;
    const process = writingProcess({ publishConcurrency: 1 }, client);
    const first = event();
    await commit(process, first);
    process.relay.start();
    await waitFor(() => emitted.some((envelope) => envelope.id === first.id));
    const slow = event(REPORT_REQUESTED);
    await commit(process, slow);
    await waitFor(() => slowIds.includes(slow.id));
    const claimsBefore = await process.claims();

    const waiting = event();
    await commit(process, waiting);
    expect(await stateOf(waiting.id)).toEqual({ published: false, attempts: 0, leased: false });
    releaseSlow();

    await waitFor(async () => (await stateOf(waiting.id))?.published === true);
    expect(await process.claims()).toBeGreaterThan(claimsBefore);
    expect(await stateOf(waiting.id)).toEqual({ published: true, attempts: 1, leased: false });
  });

  it('after a crash between commit and publish, another relay publishes the row once its lease ends', async () => {
    const crashed = new Set<string>();
    const dying = writingProcess({
      leaseMs: 1_000,
      publishTimeoutMs: 500,
      hooks: {
        afterClaim: (ids) => {
          if (ids.some((id) => crashed.has(id))) throw new Error('process killed');
        },
      },
    });
    await started(dying);
    const orphan = event();
    crashed.add(orphan.id);

    await commit(dying, orphan);
    expect(await stateOf(orphan.id)).toEqual({ published: false, attempts: 1, leased: true });
    await dying.relay.stop();
    const survivor = writingProcess({ pollIntervalMs: 200 });
    survivor.relay.start();

    await waitFor(async () => (await stateOf(orphan.id))?.published === true, 15_000);
    expect(publishedIds(dying)).not.toContain(orphan.id);
    expect(publishedIds(survivor)).toEqual([orphan.id]);
    expect(await stateOf(orphan.id)).toEqual({ published: true, attempts: 2, leased: false });
  });

  it('reserves no slots while it is not running, and gives back what is handed over once stopping', async () => {
    const process = writingProcess();
    expect(process.relay.reservePublishSlots(1)).toBeNull();
    await started(process);
    const late = event();
    let slots = process.relay.reservePublishSlots(1);
    expect(slots).not.toBeNull();
    // Committed leased by a process that is being stopped.
    await dataSource.query(
      `INSERT INTO "orders".outbox (id, type, payload, headers, attempts, lease_until)
       VALUES ($1, $2, $3, $4, 1, now() + interval '1 minute')`,
      [late.id, late.type, JSON.stringify(late.payload), JSON.stringify({ version: 1 })],
    );

    await process.relay.stop();
    slots?.publish([
      {
        id: late.id,
        type: late.type,
        payload: late.payload,
        headers: { version: 1, occurredAt: late.occurredAt, correlationId: late.correlationId },
        attempts: 1,
        schema: 'orders',
      },
    ]);
    // Its lease cleared: the next poll of any relay claims it, without waiting the lease out.
    await waitFor(async () => (await stateOf(late.id))?.leased === false);

    expect(publishedIds(process)).not.toContain(late.id);
    expect(process.relay.inFlight).toBe(0);
    expect(await stateOf(late.id)).toEqual({ published: false, attempts: 1, leased: false });
    slots = process.relay.reservePublishSlots(1);
    expect(slots).toBeNull();
    const survivor = writingProcess({ pollIntervalMs: 200 });
    survivor.relay.start();
    await waitFor(() => publishedIds(survivor).includes(late.id));
  });

  it('never holds more slots than it has: a reservation beyond them is refused', async () => {
    const process = writingProcess({ publishConcurrency: 2 });
    await started(process);

    expect(process.relay.reservePublishSlots(3)).toBeNull();
    const two = process.relay.reservePublishSlots(2);
    expect(two).not.toBeNull();
    expect(process.relay.reservePublishSlots(1)).toBeNull();
    two?.release();
    expect(process.relay.reservePublishSlots(1)).not.toBeNull();
    expect(() => two?.release()).toThrow('used once');
  });
});
