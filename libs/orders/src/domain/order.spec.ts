import { InvalidOrderError } from './order.errors.js';
import { Order } from './order.js';
import type { OrderLine } from './order-line.js';

const ORDER_ID = '9a1c3f6e-2b7d-4e8a-b5c0-1d2e3f4a5b6c';
const CUSTOMER = '5d6f8c1e-7c55-4c3e-9d2b-2f9f4d9b7a10';
const PAYMENT = '0b4f5f0e-55a1-4f7e-8b0c-6d2f5e8a9c31';
const AT = new Date('2026-03-01T10:00:00.000Z');
const LATER = new Date('2026-03-01T11:00:00.000Z');

const mug: OrderLine = {
  productId: 'p-1',
  sku: 'MUG-1',
  name: 'Mug',
  unitPrice: 1250,
  quantity: 2,
};
const tea: OrderLine = { productId: 'p-2', sku: 'TEA-1', name: 'Tea', unitPrice: 399, quantity: 3 };

const place = (lines: readonly OrderLine[] = [mug, tea], currency = 'EUR'): Order =>
  Order.place({ id: ORDER_ID, customerId: CUSTOMER, currency, lines, now: AT });

describe('Order', () => {
  it('is placed awaiting payment at version 1 with the total of its snapshotted lines', () => {
    const order = place();
    expect(order.toSnapshot()).toEqual({
      id: ORDER_ID,
      customerId: CUSTOMER,
      lines: [mug, tea],
      requestedItems: [
        { productId: 'p-1', quantity: 2 },
        { productId: 'p-2', quantity: 3 },
      ],
      currency: 'EUR',
      total: 2 * 1250 + 3 * 399,
      status: 'pending_payment',
      paymentId: null,
      cancellationReason: null,
      version: 1,
      createdAt: AT,
      updatedAt: AT,
    });
  });

  it('records OrderPlaced with its lines when placed, and hands each event out once', () => {
    const order = place();
    expect(order.pullEvents()).toEqual([
      {
        type: 'OrderPlaced',
        orderId: ORDER_ID,
        customerId: CUSTOMER,
        currency: 'EUR',
        total: 3697,
        lines: [mug, tea],
        occurredAt: AT,
      },
    ]);
    expect(order.pullEvents()).toEqual([]);
  });

  it.each([
    ['no lines', [], 'EUR'],
    ['a product on two lines', [mug, { ...mug, quantity: 1 }], 'EUR'],
    ['a zero quantity', [{ ...mug, quantity: 0 }], 'EUR'],
    ['a fractional price', [{ ...mug, unitPrice: 12.5 }], 'EUR'],
    ['a negative price', [{ ...mug, unitPrice: -1 }], 'EUR'],
    ['a total beyond safe integers', [{ ...mug, unitPrice: Number.MAX_SAFE_INTEGER }], 'EUR'],
    ['a currency that is not ISO 4217', [mug], 'euro'],
  ])('refuses %s', (_case, lines, currency) => {
    expect(() => place(lines, currency)).toThrow(InvalidOrderError);
  });

  describe('accepted while the catalog could not be reached', () => {
    const asked = [
      { productId: 'p-1', quantity: 2 },
      { productId: 'p-2', quantity: 3 },
    ];
    const accept = (): Order =>
      Order.acceptAwaitingStock({ id: ORDER_ID, customerId: CUSTOMER, items: asked, now: AT });

    it('awaits stock with what was asked for, no prices, and announces nothing yet', () => {
      const order = accept();
      expect(order.toSnapshot()).toMatchObject({
        status: 'awaiting_stock',
        lines: [],
        requestedItems: asked,
        currency: null,
        total: null,
        version: 1,
      });
      expect(order.pullEvents()).toEqual([]);
    });

    it('is confirmed with the priced lines: pending payment, its total, announced as placed', () => {
      const order = accept();
      order.confirmStock({ currency: 'EUR', lines: [mug, tea] }, LATER);
      expect(order.toSnapshot()).toMatchObject({
        status: 'pending_payment',
        lines: [mug, tea],
        currency: 'EUR',
        total: 3697,
        version: 2,
        updatedAt: LATER,
      });
      expect(order.pullEvents()).toEqual([
        {
          type: 'OrderPlaced',
          orderId: ORDER_ID,
          customerId: CUSTOMER,
          currency: 'EUR',
          total: 3697,
          lines: [mug, tea],
          occurredAt: LATER,
        },
      ]);
    });

    it('refuses priced lines that are not what was asked for, and stays awaiting', () => {
      const order = accept();
      expect(() =>
        order.confirmStock({ currency: 'EUR', lines: [mug, { ...tea, quantity: 1 }] }, LATER),
      ).toThrow(InvalidOrderError);
      expect(() => order.confirmStock({ currency: 'EUR', lines: [mug] }, LATER)).toThrow(
        InvalidOrderError,
      );
      expect(order.status).toBe('awaiting_stock');
      expect(order.pullEvents()).toEqual([]);
    });

    it('is cancelled when the catalog refuses it, unpaid, with the reason for the customer', () => {
      const order = accept();
      order.cancel('out_of_stock', LATER);
      expect(order.toSnapshot()).toMatchObject({
        status: 'cancelled',
        cancellationReason: 'out_of_stock',
        currency: null,
      });
      expect(order.pullEvents()).toEqual([
        expect.objectContaining({ type: 'OrderCancelled', reason: 'out_of_stock', wasPaid: false }),
      ]);
    });

    it('refuses an empty basket', () => {
      expect(() =>
        Order.acceptAwaitingStock({ id: ORDER_ID, customerId: CUSTOMER, items: [], now: AT }),
      ).toThrow(InvalidOrderError);
    });
  });

  it('records the payment when paid', () => {
    const order = place();
    order.pullEvents();
    order.markPaid(PAYMENT, LATER);
    expect(order.paymentId).toBe(PAYMENT);
    expect(order.pullEvents()).toEqual([
      {
        type: 'OrderPaid',
        orderId: ORDER_ID,
        customerId: CUSTOMER,
        paymentId: PAYMENT,
        occurredAt: LATER,
      },
    ]);
  });

  it('announces an unpaid cancellation as not paid, so nothing is refunded', () => {
    const order = place();
    order.pullEvents();
    order.cancel('payment_failed', LATER);
    expect(order.cancellationReason).toBe('payment_failed');
    expect(order.pullEvents()).toEqual([
      {
        type: 'OrderCancelled',
        orderId: ORDER_ID,
        customerId: CUSTOMER,
        reason: 'payment_failed',
        wasPaid: false,
        occurredAt: LATER,
      },
    ]);
  });

  it('announces a cancellation for a failed payment with the failure, for the customer', () => {
    const order = place();
    order.pullEvents();
    order.cancelForFailedPayment('the card was declined', LATER);
    expect(order.cancellationReason).toBe('payment_failed');
    expect(order.pullEvents()).toEqual([
      expect.objectContaining({
        reason: 'payment_failed',
        paymentFailure: 'the card was declined',
      }),
    ]);
  });

  it('announces the cancellation of a paid order with its payment, so payments refunds it', () => {
    const order = place();
    order.markPaid(PAYMENT, AT);
    order.pullEvents();
    order.cancel('cancelled_by_admin', LATER);
    expect(order.pullEvents()).toEqual([
      expect.objectContaining({ type: 'OrderCancelled', wasPaid: true, paymentId: PAYMENT }),
    ]);
  });

  it('announces a refund for a payment that succeeded after the order was cancelled, once', () => {
    const order = place();
    order.cancel('cancelled_by_customer', AT);
    order.pullEvents();

    expect(order.refundLatePayment(PAYMENT, LATER)).toBe(true);
    expect(order.status).toBe('cancelled');
    expect(order.paymentId).toBe(PAYMENT);
    expect(order.pullEvents()).toEqual([
      expect.objectContaining({
        type: 'OrderCancelled',
        reason: 'cancelled_by_customer',
        wasPaid: true,
        paymentId: PAYMENT,
        refundsLatePayment: true,
      }),
    ]);

    expect(order.refundLatePayment(PAYMENT, LATER)).toBe(false);
    expect(order.pullEvents()).toEqual([]);
  });

  it('has no late payment to refund unless it is cancelled', () => {
    const order = place();
    order.pullEvents();
    expect(order.refundLatePayment(PAYMENT, LATER)).toBe(false);
    expect(order.status).toBe('pending_payment');
    expect(order.pullEvents()).toEqual([]);
  });

  it('is visible to its customer and to admins only', () => {
    const order = place();
    expect(order.isVisibleTo({ id: CUSTOMER, isAdmin: false })).toBe(true);
    expect(order.isVisibleTo({ id: 'someone-else', isAdmin: false })).toBe(false);
    expect(order.isVisibleTo({ id: 'an-admin', isAdmin: true })).toBe(true);
  });

  it('keeps its snapshot apart from the caller (restored lines are copies)', () => {
    const snapshot = place().toSnapshot();
    const restored = Order.restore(snapshot);
    (snapshot.lines[0] as { quantity: number }).quantity = 99;
    expect(restored.lines[0].quantity).toBe(2);
  });
});
