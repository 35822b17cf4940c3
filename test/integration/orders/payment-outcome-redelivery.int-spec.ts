import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { ORDER_EVENTS, PAYMENT_EVENTS } from '#lib/contracts';
import { createEnvelope, MessagingSchemas, OutboxEventPublisher } from '#lib/messaging';
import { SystemClock } from '#lib/kernel';
import type { DataSource } from 'typeorm';
import type { Order } from '../../../libs/orders/src/domain/order.js';
import { OrdersMessageController } from '../../../libs/orders/src/controllers/orders.message.controller.js';
import { TypeormOrderRepository } from '../../../libs/orders/src/repositories/order.typeorm-repository.js';
import { CancelOrderOnPaymentFailureService } from '../../../libs/orders/src/services/cancel-order-on-payment-failure.service.js';
import { MarkOrderPaidService } from '../../../libs/orders/src/services/mark-order-paid.service.js';
import { OrderChanges } from '../../../libs/orders/src/services/order-changes.js';
import { orderIn } from '../../../libs/orders/src/testing/order-builder.js';
import { openOrdersDatabase } from './orders-database.js';

const PAYMENT = 'd6f1c2a4-3b5e-4c7d-9e8f-0a1b2c3d4e5f';

/**
 * Payment outcomes reach orders at least once, in copies with the same message id (a redelivery)
 * or with new ones (a publisher that sent twice). The order's own state makes each step once, with
 * no processed-message record (ADR 0061): these copies arrive together, as they can on replicas.
 */
describe('payment outcomes delivered more than once (PostgreSQL)', () => {
  let database: Awaited<ReturnType<typeof openOrdersDatabase>>;
  let dataSource: DataSource;
  let orders: TypeormOrderRepository;
  let controller: OrdersMessageController;
  const orderIds: string[] = [];

  beforeAll(async () => {
    Logger.overrideLogger(false);
    database = await openOrdersDatabase();
    dataSource = database.dataSource;
    const { transactions } = database;
    const clock = new SystemClock();
    orders = new TypeormOrderRepository(transactions);
    const changes = new OrderChanges(
      orders,
      new OutboxEventPublisher(transactions, new MessagingSchemas(['orders'])),
      transactions,
    );
    controller = new OrdersMessageController(
      new MarkOrderPaidService(changes, clock),
      new CancelOrderOnPaymentFailureService(changes, clock),
    );
  });

  afterAll(async () => {
    await dataSource.query(`DELETE FROM orders.outbox WHERE payload->>'orderId' = ANY($1)`, [
      orderIds,
    ]);
    await dataSource.query('DELETE FROM orders.orders WHERE id = ANY($1::uuid[])', [orderIds]);
    await database.close();
  });

  async function storedOrder(status: 'pending_payment' | 'cancelled') {
    const order = orderIn(status, randomUUID());
    orderIds.push(order.id);
    await orders.insert(order);
    return order;
  }

  /** The first copy, its redelivery, and two copies published anew. */
  function copiesOf<T>(type: string, payload: T) {
    const first = createEnvelope(type, payload);
    return [first, first, createEnvelope(type, payload), createEnvelope(type, payload)];
  }

  /** Copies of the payment's success, delivered together. */
  const deliverPaymentSucceeded = async (order: Order) => {
    const succeeded = {
      paymentId: PAYMENT,
      orderId: order.id,
      customerId: order.customerId,
      amount: order.total ?? 0,
      currency: 'EUR',
    };
    await Promise.all(
      copiesOf(PAYMENT_EVENTS.succeeded, succeeded).map((copy) =>
        controller.onPaymentSucceeded(copy),
      ),
    );
  };

  const orderState = async (orderId: string) =>
    (
      await dataSource.query<
        {
          status: string;
          payment_id: string | null;
          cancellation_reason: string | null;
          version: number;
        }[]
      >(
        'SELECT status, payment_id, cancellation_reason, version FROM orders.orders WHERE id = $1',
        [orderId],
      )
    )[0];

  const published = (orderId: string) =>
    dataSource.query<{ type: string; payload: Record<string, unknown> }[]>(
      `SELECT type, payload FROM orders.outbox WHERE payload->>'orderId' = $1 ORDER BY position`,
      [orderId],
    );

  it('marks the order paid and announces it once', async () => {
    const order = await storedOrder('pending_payment');

    await deliverPaymentSucceeded(order);

    expect(await orderState(order.id)).toEqual({
      status: 'paid',
      payment_id: PAYMENT,
      cancellation_reason: null,
      version: 2,
    });
    expect((await published(order.id)).map((row) => row.type)).toEqual([ORDER_EVENTS.paid]);
    expect(await dataSource.query('SELECT 1 FROM orders.processed_messages')).toEqual([]);
  });

  it('cancels the order for a failed payment and announces it once', async () => {
    const order = await storedOrder('pending_payment');
    const failed = {
      orderId: order.id,
      customerId: order.customerId,
      code: 'PAYMENTS.CARD_DECLINED',
      reason: 'The card was declined',
    };

    await Promise.all(
      copiesOf(PAYMENT_EVENTS.failed, failed).map((copy) => controller.onPaymentFailed(copy)),
    );

    expect(await orderState(order.id)).toEqual({
      status: 'cancelled',
      payment_id: null,
      cancellation_reason: 'payment_failed',
      version: 2,
    });
    expect(await published(order.id)).toEqual([
      {
        type: ORDER_EVENTS.cancelled,
        payload: expect.objectContaining({ reason: 'payment_failed', wasPaid: false }),
      },
    ]);
  });

  it('asks once for the refund of a payment that arrives after the order was cancelled', async () => {
    const order = await storedOrder('cancelled');

    await deliverPaymentSucceeded(order);

    expect(await orderState(order.id)).toEqual({
      status: 'cancelled',
      payment_id: PAYMENT,
      cancellation_reason: 'cancelled_by_customer',
      version: 3,
    });
    expect(await published(order.id)).toEqual([
      {
        type: ORDER_EVENTS.cancelled,
        payload: expect.objectContaining({
          wasPaid: true,
          paymentId: PAYMENT,
          refundsLatePayment: true,
        }),
      },
    ]);
  });
});
