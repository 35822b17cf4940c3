import { randomUUID } from 'node:crypto';
import { MESSAGING_ERROR_CODES } from '#lib/contracts';
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

interface DeadLetterRow {
  consumer: string;
  type: string;
  message_id: string | null;
  envelope: unknown;
  reason: string;
  error: { code: string; details?: { violations?: { field: string }[] } };
  attempts: number;
}

const orderPlaced = (payload: object = { orderId: randomUUID(), totalMinor: 990 }) =>
  createEnvelope(ORDER_PLACED, payload);

describe('idempotent consumers and dead letters', () => {
  let dataSource: DataSource;
  let messaging: MessagingTestApp;

  const charges = async (): Promise<{ message_id: string }[]> =>
    dataSource.query('SELECT message_id FROM test_effects.charges');
  const deadLetters = async (): Promise<DeadLetterRow[]> =>
    dataSource.query(
      `SELECT consumer, type, message_id, envelope, reason, error, attempts
         FROM ${everyContextAsOne('dead_letters')} ORDER BY consumer`,
    );

  beforeAll(async () => {
    dataSource = await createMessagingDataSource('consumers');
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

  it('has one effect when the same envelope is delivered twice', async () => {
    const event = orderPlaced();

    await messaging.client.emit(event);
    await messaging.client.emit(event);

    expect(messaging.observations.deliveries).toEqual([event.id, event.id]);
    expect(await charges()).toEqual([{ message_id: event.id }]);
  });

  it('has one effect when copies of an envelope arrive at the same time', async () => {
    const event = orderPlaced();

    await Promise.all(Array.from({ length: 5 }, () => messaging.client.emit(event)));

    expect(messaging.observations.deliveries).toHaveLength(5);
    expect(await charges()).toEqual([{ message_id: event.id }]);
  });

  it('rolls the processed mark back with a failed effect, so that the retry applies it', async () => {
    messaging.observations.failuresLeft = 1;
    const event = orderPlaced();

    await messaging.client.emit(event);

    expect(messaging.observations.deliveries).toEqual([event.id, event.id]);
    expect(await charges()).toEqual([{ message_id: event.id }]);
    expect(await deadLetters()).toEqual([]);
  });

  it('processes one message once per consumer, not once overall', async () => {
    const message = { id: randomUUID() };
    const effects: string[] = [];
    const work = (consumer: string) => () =>
      messaging.consumer.handle(consumer, message, async () => effects.push(consumer));

    const outcomes = [
      await work('payments.charge-order')(),
      await work('notifications.order-confirmation')(),
      await work('payments.charge-order')(),
    ];

    expect(outcomes.map((outcome) => outcome.duplicate)).toEqual([false, false, true]);
    expect(effects).toEqual(['payments.charge-order', 'notifications.order-confirmation']);
  });

  it('dead-letters an invalid event with the reason, for each consumer that rejected it, and goes on', async () => {
    const invalid = orderPlaced({ orderId: 'order-1', totalMinor: -5 });
    const valid = orderPlaced();

    await messaging.client.emit(invalid);
    await messaging.client.emit(valid);

    const [letter] = await deadLetters();
    expect(letter).toMatchObject({
      consumer: 'payments.charge-order',
      type: ORDER_PLACED,
      message_id: invalid.id,
      envelope: JSON.parse(JSON.stringify(invalid)),
      attempts: 1,
    });
    expect(letter.reason).toContain(MESSAGING_ERROR_CODES.VALIDATION_FAILED);
    expect(letter.error.details?.violations?.map((violation) => violation.field)).toEqual([
      'payload.orderId',
      'payload.totalMinor',
    ]);
    expect(await charges()).toEqual([{ message_id: valid.id }]);
  });

  it('dead-letters an event whose effect keeps failing once its retry budget is spent', async () => {
    messaging.observations.failuresLeft = 3;
    const event = orderPlaced();

    await messaging.client.emit(event);

    expect(messaging.observations.deliveries).toHaveLength(3);
    expect(await deadLetters()).toEqual([
      expect.objectContaining({
        consumer: 'payments.charge-order',
        message_id: event.id,
        attempts: 3,
        reason: expect.stringContaining(MESSAGING_ERROR_CODES.INTERNAL),
      }),
    ]);
    expect(await charges()).toEqual([]);
  });

  it('delivers outbox events through the relay to the idempotent consumer end to end', async () => {
    const event = orderPlaced();
    const relay = messaging.relay();
    relay.start();

    await messaging.transactions.run(() => messaging.publisher.publish([event]));

    await waitFor(async () => (await charges()).length === 1);
    expect(await charges()).toEqual([{ message_id: event.id }]);
  });
});
