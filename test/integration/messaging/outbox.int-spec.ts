import { randomUUID } from 'node:crypto';
import { MESSAGING_ERROR_CODES } from '#lib/contracts';
import { createEnvelope } from '#lib/messaging';
import type { DataSource } from 'typeorm';
import {
  createMessagingDataSource,
  type MessagingTestApp,
  ORDER_PLACED,
  resetMessagingTables,
  startMessagingTestApp,
  waitFor,
} from './messaging-test-app.js';

interface OutboxState {
  id: string;
  type: string;
  payload: unknown;
  headers: Record<string, unknown>;
  published: boolean;
  attempts: number;
  last_error: string | null;
  due_in_ms: number;
}

const orderPlaced = () =>
  createEnvelope(
    ORDER_PLACED,
    { orderId: randomUUID(), totalMinor: 4_200 },
    {
      correlationId: 'checkout-1',
    },
  );

class SimulatedCrash extends Error {}

describe('transactional outbox', () => {
  let dataSource: DataSource;
  let messaging: MessagingTestApp;

  const outbox = async (): Promise<OutboxState[]> =>
    dataSource.query(`
      SELECT id, type, payload, headers, published_at IS NOT NULL AS published, attempts,
             last_error,
             round(extract(epoch FROM next_attempt_at - clock_timestamp()) * 1000)::int AS due_in_ms
        FROM messaging.outbox ORDER BY position`);

  const charges = async (): Promise<{ message_id: string }[]> =>
    dataSource.query('SELECT message_id FROM test_effects.charges');

  /** Commits the events through the outbox, as a use case does with its state change. */
  const commit = (...envelopes: ReturnType<typeof orderPlaced>[]): Promise<void> =>
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

  it('relays committed events to their subscribers, in order, and marks them published', async () => {
    const first = orderPlaced();
    const second = orderPlaced();
    await commit(first, second);

    expect(await messaging.relay().relayBatch()).toBe(2);

    expect(messaging.observations.counted).toEqual([first.id, second.id]);
    expect((await charges()).map((charge) => charge.message_id).sort()).toEqual(
      [first.id, second.id].sort(),
    );
    expect((await outbox()).map((row) => row.published)).toEqual([true, true]);
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

  it('retries a publish that failed, after a backoff, until it goes through', async () => {
    const event = orderPlaced();
    await commit(event);
    const relay = messaging.relay({ retryBaseMs: 200 });
    await messaging.client.connect();
    messaging.transport.bus.detach(messaging.transport.server); // the broker goes away

    await relay.relayBatch();

    const [failed] = await outbox();
    expect(failed).toMatchObject({ published: false, attempts: 1 });
    expect(failed.last_error).toContain(MESSAGING_ERROR_CODES.UNAVAILABLE);
    expect(failed.due_in_ms).toBeGreaterThan(0);
    expect(await relay.relayBatch()).toBe(0); // not due yet

    messaging.transport.bus.attach(messaging.transport.server); // and comes back
    await waitFor(async () => (await relay.relayBatch()) === 1);
    expect(await outbox()).toEqual([expect.objectContaining({ published: true, attempts: 1 })]);
    expect(messaging.observations.counted).toEqual([event.id]);
  });

  it('after a crash between publishing and marking, publishes again and the effect still happens once', async () => {
    const event = orderPlaced();
    await commit(event);
    const crashing = messaging.relay({
      hooks: {
        afterPublish: () => {
          throw new SimulatedCrash('killed before marking the batch');
        },
      },
    });

    await expect(crashing.relayBatch()).rejects.toThrow(SimulatedCrash);
    expect(messaging.observations.deliveries).toEqual([event.id]);
    expect(await outbox()).toEqual([expect.objectContaining({ published: false })]);

    await messaging.relay().relayBatch();

    expect(messaging.observations.deliveries).toEqual([event.id, event.id]);
    expect(await charges()).toEqual([{ message_id: event.id }]);
    expect(await outbox()).toEqual([expect.objectContaining({ published: true })]);
  });

  it('after a crash between fetching and publishing, a fresh relay delivers the event once', async () => {
    const event = orderPlaced();
    await commit(event);
    const crashing = messaging.relay({
      hooks: {
        afterFetch: () => {
          throw new SimulatedCrash('killed before publishing');
        },
      },
    });

    await expect(crashing.relayBatch()).rejects.toThrow(SimulatedCrash);
    expect(messaging.observations.counted).toEqual([]);

    const restarted = messaging.relay();
    restarted.start();
    await waitFor(() => messaging.observations.counted.length === 1);
    await restarted.stop();
    expect(messaging.observations.counted).toEqual([event.id]);
    expect(await charges()).toEqual([{ message_id: event.id }]);
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
    expect((await outbox()).every((row) => row.published)).toBe(true);
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
