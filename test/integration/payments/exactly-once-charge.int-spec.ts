import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { PAYMENT_EVENTS } from '#lib/contracts';
import type { DataSource } from 'typeorm';
import {
  createPaymentsDataSource,
  drain,
  openReplica,
  outboxTypes,
  type PaymentsReplica,
  paymentsReplica,
  placedEvent,
  placement,
  providerCharges,
  resetPaymentsTables,
} from './payments-test-database.js';

describe('exactly one charge per order (Postgres)', () => {
  let dataSource: DataSource;
  let replicaDataSource: DataSource;
  let first: PaymentsReplica;
  let second: PaymentsReplica;

  beforeAll(async () => {
    dataSource = await createPaymentsDataSource('exactly_once');
    replicaDataSource = await openReplica(dataSource);
  });

  beforeEach(async () => {
    await resetPaymentsTables(dataSource);
    first = paymentsReplica(dataSource);
    second = paymentsReplica(replicaDataSource);
  });

  afterEach(() => {
    first.close();
    second.close();
  });

  afterAll(async () => {
    await replicaDataSource.destroy();
    await dataSource.destroy();
  });

  const paymentRows = (orderId: string) =>
    dataSource.query<{ status: string; attempts: number }[]>(
      'SELECT status, attempts FROM payments.payments WHERE order_id = $1',
      [orderId],
    );

  it('opens one payment and wakes one worker when copies of the placement, some with the same message id, arrive at once on two replicas', async () => {
    const order = placement();
    const redelivered = placedEvent(order);
    const copies = [
      redelivered,
      redelivered,
      ...Array.from({ length: 8 }, () => placedEvent(order)),
    ];
    const wakes = [jest.spyOn(first.worker, 'wake'), jest.spyOn(second.worker, 'wake')];

    await Promise.all(
      copies.map((copy, index) =>
        (index % 2 === 0 ? first : second).orderEvents.onOrderPlaced(copy),
      ),
    );

    expect(await paymentRows(order.orderId)).toEqual([{ status: 'pending', attempts: 0 }]);
    expect(wakes[0].mock.calls.length + wakes[1].mock.calls.length).toBe(1);
    // The payment's unique order id made it once: no processed-message record was needed.
    expect(await dataSource.query('SELECT 1 FROM payments.processed_messages')).toEqual([]);
  });

  it('processes one cancellation message once even when its copies are delivered together', async () => {
    const order = placement();
    const message = { id: randomUUID() };

    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, copy) =>
        (copy % 2 === 0 ? first : second).consumer.handle('payments.cancel-payment', message, () =>
          first.cancelPayment.cancel({ orderId: order.orderId, customerId: order.customerId }),
        ),
      ),
    );

    expect(outcomes.filter((outcome) => !outcome.duplicate)).toEqual([
      { duplicate: false, result: 'remembered' },
    ]);
    expect(
      await dataSource.query('SELECT order_id FROM payments.cancelled_orders WHERE order_id = $1', [
        order.orderId,
      ]),
    ).toEqual([{ order_id: order.orderId }]);
  });

  it('charges once, publishing one payment-succeeded, when duplicate placements race and two replicas work the payments', async () => {
    const orders = Array.from({ length: 8 }, () => placement());
    await Promise.all(
      orders.flatMap((order) => [first.openPayment.open(order), second.openPayment.open(order)]),
    );

    await Promise.all([drain(first), drain(second)]);
    // Redelivered after the charge: still one payment, still one charge.
    await Promise.all(orders.map((order) => second.openPayment.open(order)));
    await Promise.all([drain(first), drain(second)]);

    for (const order of orders) {
      expect(await paymentRows(order.orderId)).toEqual([{ status: 'succeeded', attempts: 1 }]);
      expect(await providerCharges(dataSource, order.orderId)).toEqual([
        { outcome: 'succeeded', refund_id: null },
      ]);
      expect(await outboxTypes(dataSource, order.orderId)).toEqual([PAYMENT_EVENTS.succeeded]);
    }
  });

  it('ends cancelled without a charge whichever of placement and cancellation wins a race', async () => {
    const orders = Array.from({ length: 10 }, () => placement());

    await Promise.all(
      orders.map((order, index) => {
        const cancel = () =>
          second.cancelPayment.cancel({ orderId: order.orderId, customerId: order.customerId });
        const open = () => first.openPayment.open(order);
        return index % 2 === 0 ? Promise.all([open(), cancel()]) : Promise.all([cancel(), open()]);
      }),
    );
    await drain(first);

    for (const order of orders) {
      expect((await paymentRows(order.orderId))[0]?.status).toBe('cancelled');
      expect(await providerCharges(dataSource, order.orderId)).toEqual([]);
    }
  });

  it('refunds a paid order once when its cancellation is delivered twice to two replicas', async () => {
    const order = placement();
    await first.openPayment.open(order);
    await drain(first);

    const cancellation = { orderId: order.orderId, customerId: order.customerId };
    const outcomes = await Promise.all([
      first.cancelPayment.cancel(cancellation),
      second.cancelPayment.cancel(cancellation),
    ]);
    await Promise.all([drain(first), drain(second)]);

    expect(outcomes.sort()).toEqual(['refund_due', 'unchanged']);
    expect((await paymentRows(order.orderId))[0]?.status).toBe('refunded');
    const [charge] = await providerCharges(dataSource, order.orderId);
    const [payment] = await dataSource.query<{ provider_refund_id: string }[]>(
      'SELECT provider_refund_id FROM payments.payments WHERE order_id = $1',
      [order.orderId],
    );
    expect(charge?.refund_id).toEqual(expect.any(String));
    expect(payment?.provider_refund_id).toBe(charge?.refund_id);
    expect(await outboxTypes(dataSource, order.orderId)).toEqual([
      PAYMENT_EVENTS.succeeded,
      PAYMENT_EVENTS.refunded,
    ]);
  });
});
