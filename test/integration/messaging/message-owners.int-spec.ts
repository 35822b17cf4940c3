import { randomUUID } from 'node:crypto';
import { TransactionRunner } from '#lib/database';
import {
  createEnvelope,
  type MessagingClient,
  OutboxEventPublisher,
  OutboxRelay,
  resolveOutboxRelayOptions,
  TypeormDeliveryRetryStore,
} from '#lib/messaging';
import type { DataSource } from 'typeorm';
import {
  createMessagingDataSource,
  MESSAGING_TEST_SCHEMAS,
  ORDER_PLACED,
  recordingClient,
  resetMessagingTables,
} from './messaging-test-app.js';

describe('messages belong to the app that wrote them', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await createMessagingDataSource('owners');
  });

  beforeEach(async () => {
    await resetMessagingTables(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  const publishAs = async (owner: string | undefined): Promise<string> => {
    const envelope = createEnvelope(ORDER_PLACED, { orderId: randomUUID(), totalMinor: 1 });
    await new OutboxEventPublisher(
      new TransactionRunner(dataSource),
      MESSAGING_TEST_SCHEMAS,
      owner,
    ).publish([envelope]);
    return envelope.id;
  };

  const relayOf = (owner: string | undefined, client: MessagingClient): OutboxRelay =>
    new OutboxRelay(
      dataSource,
      client,
      {
        relay: resolveOutboxRelayOptions({ enabled: false }),
        ...(owner !== undefined && { owner }),
      },
      MESSAGING_TEST_SCHEMAS,
    );

  it("relays its own outbox rows and never another app's, while rows without an owner go to anyone", async () => {
    const orders = await publishAs('orders-app');
    const payments = await publishAs('payments-app');
    const legacy = await publishAs(undefined);
    const ordersRelay = recordingClient();
    const paymentsRelay = recordingClient();

    await relayOf('orders-app', ordersRelay.client).relayBatch();
    await relayOf('payments-app', paymentsRelay.client).relayBatch();

    expect(ordersRelay.published.map((envelope) => envelope.id).sort()).toEqual(
      [orders, legacy].sort(),
    );
    expect(paymentsRelay.published.map((envelope) => envelope.id)).toEqual([payments]);
  });

  it('takes only its own stored retries (and ownerless ones) when they fall due', async () => {
    const retry = (envelope: unknown) => ({
      consumer: 'payments.charge-order',
      type: ORDER_PLACED,
      envelope,
      attempts: 1,
      lastError: 'MESSAGING.INTERNAL: down',
    });
    await new TypeormDeliveryRetryStore(dataSource, MESSAGING_TEST_SCHEMAS, 'stack-a').schedule(
      retry({ n: 'a' }),
      0,
    );
    await new TypeormDeliveryRetryStore(dataSource, MESSAGING_TEST_SCHEMAS, 'stack-b').schedule(
      retry({ n: 'b' }),
      0,
    );
    await new TypeormDeliveryRetryStore(dataSource, MESSAGING_TEST_SCHEMAS).schedule(
      retry({ n: 'anyone' }),
      0,
    );

    const claimed = await new TypeormDeliveryRetryStore(
      dataSource,
      MESSAGING_TEST_SCHEMAS,
      'stack-a',
    ).claimDue(['payments.charge-order'], 10, 60_000);

    expect(
      claimed
        .map((row) => row.envelope)
        .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
    ).toEqual([{ n: 'a' }, { n: 'anyone' }]);
  });
});
