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
  ORDER_PLACED,
  resetMessagingTables,
} from './messaging-test-app.js';

/** A client that only records what it was asked to publish. */
function recordingClient(): { client: MessagingClient; published: string[] } {
  const published: string[] = [];
  const client = {
    connect: async () => undefined,
    emit: async (envelope: { id: string }) => {
      published.push(envelope.id);
    },
  } as unknown as MessagingClient;
  return { client, published };
}

describe('messages belong to the app that wrote them', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await createMessagingDataSource('owners');
  });

  beforeEach(async () => {
    await resetMessagingTables(dataSource);
    await dataSource.query('TRUNCATE messaging.delivery_retries');
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  const publishAs = async (owner: string | undefined): Promise<string> => {
    const envelope = createEnvelope(ORDER_PLACED, { orderId: randomUUID(), totalMinor: 1 });
    await new OutboxEventPublisher(new TransactionRunner(dataSource), owner).publish([envelope]);
    return envelope.id;
  };

  const relayOf = (owner: string | undefined, client: MessagingClient): OutboxRelay =>
    new OutboxRelay(dataSource, client, {
      relay: resolveOutboxRelayOptions({ enabled: false }),
      ...(owner !== undefined && { owner }),
    });

  it("relays its own outbox rows and never another app's, while rows without an owner go to anyone", async () => {
    const orders = await publishAs('orders-app');
    const payments = await publishAs('payments-app');
    const legacy = await publishAs(undefined);
    const ordersRelay = recordingClient();
    const paymentsRelay = recordingClient();

    await relayOf('orders-app', ordersRelay.client).relayBatch();
    await relayOf('payments-app', paymentsRelay.client).relayBatch();

    expect(ordersRelay.published.sort()).toEqual([orders, legacy].sort());
    expect(paymentsRelay.published).toEqual([payments]);
  });

  it('takes only its own stored retries (and ownerless ones) when they fall due', async () => {
    const retry = (envelope: unknown) => ({
      consumer: 'payments.charge-order',
      type: ORDER_PLACED,
      envelope,
      attempts: 1,
      lastError: 'MESSAGING.INTERNAL: down',
    });
    await new TypeormDeliveryRetryStore(dataSource, 'stack-a').schedule(retry({ n: 'a' }), 0);
    await new TypeormDeliveryRetryStore(dataSource, 'stack-b').schedule(retry({ n: 'b' }), 0);
    await new TypeormDeliveryRetryStore(dataSource).schedule(retry({ n: 'anyone' }), 0);

    const claimed = await new TypeormDeliveryRetryStore(dataSource, 'stack-a').claimDue(
      ['payments.charge-order'],
      10,
      60_000,
    );

    expect(
      claimed
        .map((row) => row.envelope)
        .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
    ).toEqual([{ n: 'a' }, { n: 'anyone' }]);
  });
});
