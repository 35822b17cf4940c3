import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { MessageEnvelope } from '#lib/contracts';
import { EventPublisher, OutboxEventPublisher } from '#lib/messaging';
import type { DataSource } from 'typeorm';
import { TypeormIdempotencyKeyRepository } from '../../../libs/orders/src/repositories/idempotency-key.typeorm-repository.js';
import { TypeormOrderRepository } from '../../../libs/orders/src/repositories/order.typeorm-repository.js';
import { OrdersSettings } from '../../../libs/orders/src/services/orders-settings.js';
import { PlaceOrderService } from '../../../libs/orders/src/services/place-order.service.js';
import { FakeCatalogClient } from '../../../libs/orders/src/testing/fake-catalog.client.js';
import { ManualClock } from '#lib/testing';
import { openOrdersDatabase } from './orders-database.js';

/**
 * The real outbox, under a test-only event name: the rows are the ones the service writes, in its
 * transaction, yet no consumer anywhere would act on them.
 */
class RenamingOutboxPublisher extends EventPublisher {
  failAfterInsert = false;

  constructor(private readonly outbox: OutboxEventPublisher) {
    super();
  }

  async publish(envelopes: readonly MessageEnvelope[]): Promise<void> {
    await this.outbox.publish(
      envelopes.map((envelope) => ({ ...envelope, type: `test-${envelope.type}` })),
    );
    if (this.failAfterInsert) throw new Error('the transaction fails after the outbox insert');
  }
}

describe('placing an order against PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof openOrdersDatabase>>;
  let dataSource: DataSource;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    database = await openOrdersDatabase();
    dataSource = database.dataSource;
  });

  afterAll(() => database.close());

  function setup() {
    const { transactions } = database;
    const catalog = new FakeCatalogClient();
    const events = new RenamingOutboxPublisher(new OutboxEventPublisher(transactions));
    const service = new PlaceOrderService(
      new TypeormOrderRepository(transactions),
      new TypeormIdempotencyKeyRepository(dataSource, transactions),
      catalog,
      events,
      transactions,
      new ManualClock(new Date()),
      new OrdersSettings({ idempotencyWaitMs: 5_000, idempotencyPollIntervalMs: 10 }),
    );
    const product = catalog.addProduct({ stock: 100 });
    return { service, catalog, events, product, customerId: randomUUID() };
  }

  const ordersOf = (customerId: string) =>
    dataSource.query<{ id: string }[]>('SELECT id FROM orders.orders WHERE customer_id = $1', [
      customerId,
    ]);

  const outboxRowsFor = (orderId: string) =>
    dataSource.query<{ type: string }[]>(
      `SELECT type FROM messaging.outbox WHERE payload->>'orderId' = $1`,
      [orderId],
    );

  it('creates one order and one outbox event for many concurrent requests with one key', async () => {
    const { service, catalog, product, customerId } = setup();
    const command = {
      customerId,
      idempotencyKey: randomUUID(),
      items: [{ productId: product.id, quantity: 1 }],
    };

    const results = await Promise.all(Array.from({ length: 8 }, () => service.place(command)));

    const orderIds = new Set(results.map((result) => result.order.id));
    expect(orderIds.size).toBe(1);
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    const [orderId] = orderIds;
    expect(await ordersOf(customerId)).toEqual([{ id: orderId }]);
    expect(await outboxRowsFor(orderId)).toEqual([{ type: 'test-orders.v1.order-placed' }]);
    // One catalog request priced the basket and reserved its stock.
    expect(catalog.calls).toEqual([`priceAndReserve:${orderId}`]);
    expect(catalog.stockOf(product.id)).toBe(99);
  });

  it('saves neither order nor event when the transaction fails, and releases the stock', async () => {
    const { service, catalog, events, product, customerId } = setup();
    events.failAfterInsert = true;
    const command = {
      customerId,
      idempotencyKey: randomUUID(),
      items: [{ productId: product.id, quantity: 3 }],
    };

    await expect(service.place(command)).rejects.toThrow('fails after the outbox insert');

    const [reserved] = [...catalog.reservations.keys()];
    expect(await ordersOf(customerId)).toEqual([]);
    expect(await outboxRowsFor(reserved)).toEqual([]);
    expect(catalog.heldReservations()).toEqual([]);
    expect(catalog.stockOf(product.id)).toBe(100);

    events.failAfterInsert = false;
    const retried = await service.place(command);
    expect(retried.replayed).toBe(false);
    expect(await ordersOf(customerId)).toEqual([{ id: retried.order.id }]);
  });
});
