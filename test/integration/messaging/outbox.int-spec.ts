import { randomUUID } from 'node:crypto';
import { type MessageEnvelope, MESSAGING_ERROR_CODES } from '#lib/contracts';
import { createEnvelope } from '#lib/messaging';
import type { DataSource } from 'typeorm';
import {
  createMessagingDataSource,
  everyContextAsOne,
  type MessagingTestApp,
  ORDER_PLACED,
  resetMessagingTables,
  startMessagingTestApp,
  waitFor,
} from './messaging-test-app.js';
import {
  assertNotLocked,
  BusyConsumer,
  checkedOutConnections,
  idleInTransaction,
} from './outbox-relay-probes.js';

interface OutboxState {
  id: string;
  type: string;
  payload: unknown;
  headers: Record<string, unknown>;
  published: boolean;
  attempts: number;
  last_error: string | null;
  due_in_ms: number;
  leased: boolean;
}

/** An event of another context, whose only consumer is slow. */
const REPORT_REQUESTED = 'reports.v1.report-requested';

const orderPlaced = () =>
  createEnvelope(
    ORDER_PLACED,
    { orderId: randomUUID(), totalMinor: 4_200 },
    {
      correlationId: 'checkout-1',
    },
  );

class SimulatedCrash extends Error {}

// Short enough for a test to outwait, long enough that it cannot run out between two statements.
const SHORT_LEASE = { leaseMs: 1_500, publishTimeoutMs: 1_000 };

describe('transactional outbox', () => {
  let dataSource: DataSource;
  let messaging: MessagingTestApp;

  const outbox = async (): Promise<OutboxState[]> =>
    dataSource.query(`
      SELECT id, type, payload, headers, published_at IS NOT NULL AS published, attempts,
             last_error,
             round(extract(epoch FROM next_attempt_at - clock_timestamp()) * 1000)::int AS due_in_ms,
             coalesce(lease_until > clock_timestamp(), false) AS leased
        FROM ${everyContextAsOne('outbox')} ORDER BY position`);

  const charges = async (): Promise<{ message_id: string }[]> =>
    dataSource.query('SELECT message_id FROM test_effects.charges');

  /** Commits the events through the outbox, as a use case does with its state change. */
  const commit = (...envelopes: MessageEnvelope[]): Promise<void> =>
    messaging.transactions.run(() => messaging.publisher.publish(envelopes));

  beforeAll(async () => {
    dataSource = await createMessagingDataSource('outbox');
  });

  beforeEach(async () => {
    await resetMessagingTables(dataSource);
    messaging = await startMessagingTestApp(dataSource);
  });

  afterEach(async () => {
    await messaging.close();
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('drops the event when the transaction that published it rolls back', async () => {
    const failure = messaging.transactions.run(async () => {
      await messaging.publisher.publish([orderPlaced()]);
      throw new Error('the state change failed');
    });

    await expect(failure).rejects.toThrow('the state change failed');
    expect(await outbox()).toEqual([]);
  });

  it('keeps the committed event, unpublished, with its whole envelope', async () => {
    const event = orderPlaced();

    await commit(event);

    expect(await outbox()).toEqual([
      expect.objectContaining({
        id: event.id,
        type: ORDER_PLACED,
        payload: event.payload,
        headers: { version: 1, occurredAt: event.occurredAt, correlationId: 'checkout-1' },
        published: false,
        attempts: 0,
      }),
    ]);
  });

  it('relays committed events to their subscribers and marks them published', async () => {
    const first = orderPlaced();
    const second = orderPlaced();
    await commit(first, second);

    expect(await messaging.relay().relayBatch()).toBe(2);

    // Published in parallel: the order of arrival is not guaranteed (ADR 0017).
    expect([...messaging.observations.counted].sort()).toEqual([first.id, second.id].sort());
    expect((await charges()).map((charge) => charge.message_id).sort()).toEqual(
      [first.id, second.id].sort(),
    );
    expect(await outbox()).toEqual([
      expect.objectContaining({ published: true, attempts: 1, leased: false }),
      expect.objectContaining({ published: true, attempts: 1, leased: false }),
    ]);
  });

  it('is woken by the commit itself rather than by its next poll', async () => {
    const relay = messaging.relay({ pollIntervalMs: 60_000 });
    const warmUp = orderPlaced();
    await commit(warmUp);
    relay.start();
    // The first pass runs once the relay listens; after it, only a notification can wake it.
    await waitFor(() => messaging.observations.counted.includes(warmUp.id));

    const event = orderPlaced();
    const committedAt = Date.now();
    await commit(event);

    await waitFor(() => messaging.observations.counted.includes(event.id), 3_000);
    expect(Date.now() - committedAt).toBeLessThan(3_000);
  });

  it("does not let a consumer that takes 10 s and more hold back other contexts' events, a transaction or a pooled connection", async () => {
    const busy = new BusyConsumer();
    // Another app on the same bus whose handler of REPORT_REQUESTED is slow.
    const reports = {
      answers: () => false,
      answer: () => undefined,
      deliver: async (message: { routingKey: string; body: string }): Promise<void> => {
        if (!message.routingKey.includes(REPORT_REQUESTED)) return;
        const packet = JSON.parse(message.body) as { data: { id: string } };
        await busy.consume(packet.data.id);
      },
    };
    messaging.transport.bus.attach(reports);
    try {
      const report = createEnvelope(REPORT_REQUESTED, { reportId: randomUUID() }, {});
      await commit(report);
      messaging.relay({ pollIntervalMs: 60_000 }).start(); // woken by commits, not by polls
      await waitFor(() => busy.started.includes(report.id));

      const later = [orderPlaced(), orderPlaced(), orderPlaced()];
      await commit(...later);

      const laterIds = later.map((event) => event.id).sort();
      await waitFor(async () => (await outbox()).filter((row) => row.published).length === 3);
      expect((await charges()).map((charge) => charge.message_id).sort()).toEqual(laterIds);
      expect((await outbox())[0]).toMatchObject({ id: report.id, published: false, leased: true });
      await assertNotLocked(dataSource, report.id);
      expect(await idleInTransaction(dataSource)).toEqual([]);
      await waitFor(() => checkedOutConnections(dataSource) === 0);

      busy.finish();
      await waitFor(async () => (await outbox()).every((row) => row.published));
      expect(busy.started).toEqual([report.id]);
    } finally {
      busy.finish();
      messaging.transport.bus.detach(reports);
    }
  });

  it('retries a publish that failed, after a backoff, until it goes through', async () => {
    const event = orderPlaced();
    await commit(event);
    const relay = messaging.relay({ retryBaseMs: 200 });
    await messaging.client.connect();
    messaging.transport.bus.detach(messaging.transport.server); // the broker goes away

    await relay.relayBatch();

    const [failed] = await outbox();
    expect(failed).toMatchObject({ published: false, attempts: 1, leased: false });
    expect(failed.last_error).toContain(MESSAGING_ERROR_CODES.UNAVAILABLE);
    expect(failed.due_in_ms).toBeGreaterThan(0);
    expect(await relay.relayBatch()).toBe(0); // not due yet

    messaging.transport.bus.attach(messaging.transport.server); // and comes back
    await waitFor(async () => (await relay.relayBatch()) === 1);
    expect(await outbox()).toEqual([expect.objectContaining({ published: true, attempts: 2 })]);
    expect(messaging.observations.counted).toEqual([event.id]);
  });

  it('after a crash between publishing and marking, publishes again once the lease ends, and the effect still happens once', async () => {
    const event = orderPlaced();
    await commit(event);
    const crashing = messaging.relay({
      ...SHORT_LEASE,
      hooks: {
        afterPublish: () => {
          throw new SimulatedCrash('killed before marking the batch');
        },
      },
    });

    await expect(crashing.relayBatch()).rejects.toThrow(SimulatedCrash);
    expect(messaging.observations.deliveries).toEqual([event.id]);
    expect(await outbox()).toEqual([expect.objectContaining({ published: false, leased: true })]);

    const survivor = messaging.relay(SHORT_LEASE);
    expect(await survivor.relayBatch()).toBe(0); // the dead relay's lease still holds the row
    await waitFor(async () => (await survivor.relayBatch()) === 1, 10_000);

    expect(messaging.observations.deliveries).toEqual([event.id, event.id]);
    expect(await charges()).toEqual([{ message_id: event.id }]);
    expect(await outbox()).toEqual([expect.objectContaining({ published: true })]);
  });

  it('after a crash between claiming and publishing, a fresh relay delivers every event once the lease ends', async () => {
    const events = [orderPlaced(), orderPlaced(), orderPlaced()];
    await commit(...events);
    const crashing = messaging.relay({
      ...SHORT_LEASE,
      hooks: {
        afterClaim: () => {
          throw new SimulatedCrash('killed before publishing');
        },
      },
    });

    await expect(crashing.relayBatch()).rejects.toThrow(SimulatedCrash);
    expect(messaging.observations.counted).toEqual([]);
    expect((await outbox()).every((row) => row.leased && !row.published)).toBe(true);

    const restarted = messaging.relay(SHORT_LEASE);
    restarted.start();
    await waitFor(() => messaging.observations.counted.length === events.length, 10_000);
    await restarted.stop();
    const ids = events.map((event) => event.id).sort();
    expect([...messaging.observations.counted].sort()).toEqual(ids);
    expect((await charges()).map((charge) => charge.message_id).sort()).toEqual(ids);
    // Both claims count: a row that keeps killing its relay shows a growing number of attempts.
    for (const row of await outbox()) {
      expect(row).toMatchObject({ published: true, attempts: 2, leased: false });
    }
  });

  it('lets two relays share the rows without ever publishing one twice', async () => {
    const events = Array.from({ length: 40 }, () => orderPlaced());
    for (let index = 0; index < events.length; index += 10) {
      await commit(...events.slice(index, index + 10));
    }
    const first = messaging.relay({ batchSize: 3 });
    const second = messaging.relay({ batchSize: 3 });
    const drain = async (relay: typeof first): Promise<number> => {
      let locked = 0;
      for (let batch = await relay.relayBatch(); batch > 0; batch = await relay.relayBatch()) {
        locked += batch;
      }
      return locked;
    };

    const [byFirst, bySecond] = await Promise.all([drain(first), drain(second)]);

    expect(byFirst + bySecond).toBe(events.length);
    expect(byFirst).toBeGreaterThan(0);
    expect(bySecond).toBeGreaterThan(0);
    expect([...messaging.observations.counted].sort()).toEqual(events.map((e) => e.id).sort());
    expect((await outbox()).every((row) => row.published && row.attempts === 1)).toBe(true);
  });

  it('lets two running relays drain a backlog without publishing one row twice', async () => {
    const events = Array.from({ length: 60 }, () => orderPlaced());
    for (let index = 0; index < events.length; index += 20) {
      await commit(...events.slice(index, index + 20));
    }
    const relays = [
      messaging.relay({ batchSize: 4, publishConcurrency: 4 }),
      messaging.relay({ batchSize: 4, publishConcurrency: 4 }),
    ];

    for (const relay of relays) relay.start();
    await waitFor(async () => (await outbox()).every((row) => row.published), 15_000);
    await Promise.all(relays.map((relay) => relay.stop()));

    expect([...messaging.observations.counted].sort()).toEqual(events.map((e) => e.id).sort());
    expect((await outbox()).every((row) => row.attempts === 1)).toBe(true);
  });

  it('does not let a relay whose lease ran out release a row that another relay claimed since', async () => {
    const event = orderPlaced();
    await commit(event);
    let resumeStalled: () => void = () => undefined;
    const stalled = messaging.relay({
      ...SHORT_LEASE,
      hooks: {
        // Stalls (a long GC pause, a frozen VM) after its claim, until its lease is long gone.
        afterClaim: () => new Promise<void>((resolve) => (resumeStalled = resolve)),
      },
    });
    await messaging.client.connect();
    messaging.transport.bus.detach(messaging.transport.server); // every publish fails
    try {
      const stalledPass = stalled.relayBatch();
      await waitFor(async () => (await outbox())[0]?.leased === true);

      const successor = messaging.relay({
        ...SHORT_LEASE,
        retryBaseMs: 60_000,
        retryMaxMs: 60_000,
      });
      await waitFor(async () => (await successor.relayBatch()) === 1, 10_000);
      const [rescheduled] = await outbox();
      expect(rescheduled).toMatchObject({ published: false, attempts: 2 });
      expect(rescheduled.due_in_ms).toBeGreaterThan(10_000);

      resumeStalled();
      await stalledPass;

      // The stale holder's failure (attempt 1) left the successor's schedule untouched.
      const [after] = await outbox();
      expect(after).toMatchObject({
        published: false,
        attempts: 2,
        last_error: rescheduled.last_error,
      });
      expect(after.due_in_ms).toBeGreaterThan(10_000);
    } finally {
      messaging.transport.bus.attach(messaging.transport.server);
    }
  });

  it('stops between batches and resumes where it left off when started again', async () => {
    const relay = messaging.relay();
    relay.start();
    await relay.stop();
    const event = orderPlaced();
    await commit(event);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(messaging.observations.counted).toEqual([]);

    relay.start();

    await waitFor(() => messaging.observations.counted.length === 1);
    expect(messaging.observations.counted).toEqual([event.id]);
  });
});
