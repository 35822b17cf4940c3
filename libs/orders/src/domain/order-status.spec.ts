import { IllegalOrderTransitionError } from './order.errors.js';
import { Order } from './order.js';
import {
  ORDER_ACTIONS,
  ORDER_STATUSES,
  type OrderAction,
  type OrderStatus,
} from './order-status.js';

const CUSTOMER = '5d6f8c1e-7c55-4c3e-9d2b-2f9f4d9b7a10';
const PAYMENT = '0b4f5f0e-55a1-4f7e-8b0c-6d2f5e8a9c31';
const AT = new Date('2026-03-01T10:00:00.000Z');
const LATER = new Date('2026-03-01T11:00:00.000Z');

const MUG = { productId: 'p-1', sku: 'SKU-1', name: 'Mug', unitPrice: 1250, quantity: 2 };

function orderIn(status: OrderStatus): Order {
  const priced = status !== 'awaiting_stock';
  return Order.restore({
    id: '9a1c3f6e-2b7d-4e8a-b5c0-1d2e3f4a5b6c',
    customerId: CUSTOMER,
    lines: priced ? [MUG] : [],
    requestedItems: [{ productId: MUG.productId, quantity: MUG.quantity }],
    currency: priced ? 'EUR' : null,
    total: priced ? 2500 : null,
    status,
    paymentId: status === 'paid' || status === 'shipped' ? PAYMENT : null,
    cancellationReason: status === 'cancelled' ? 'cancelled_by_customer' : null,
    version: 3,
    createdAt: AT,
    updatedAt: AT,
  });
}

function perform(order: Order, action: OrderAction): void {
  switch (action) {
    case 'confirm':
      return order.confirmStock({ currency: 'EUR', lines: [MUG] }, LATER);
    case 'pay':
      return order.markPaid(PAYMENT, LATER);
    case 'ship':
      return order.ship(LATER);
    case 'cancel':
      return order.cancel('cancelled_by_customer', LATER);
  }
}

/** Every (state, action) pair, with where it leads or null when it is illegal. */
const TABLE: ReadonlyArray<[OrderStatus, OrderAction, OrderStatus | null]> = [
  ['awaiting_stock', 'confirm', 'pending_payment'],
  ['awaiting_stock', 'pay', null],
  ['awaiting_stock', 'ship', null],
  ['awaiting_stock', 'cancel', 'cancelled'],
  ['pending_payment', 'confirm', null],
  ['pending_payment', 'pay', 'paid'],
  ['pending_payment', 'ship', null],
  ['pending_payment', 'cancel', 'cancelled'],
  ['paid', 'confirm', null],
  ['paid', 'pay', null],
  ['paid', 'ship', 'shipped'],
  ['paid', 'cancel', 'cancelled'],
  ['shipped', 'confirm', null],
  ['shipped', 'pay', null],
  ['shipped', 'ship', null],
  ['shipped', 'cancel', null],
  ['cancelled', 'confirm', null],
  ['cancelled', 'pay', null],
  ['cancelled', 'ship', null],
  ['cancelled', 'cancel', null],
];

describe('the order state machine', () => {
  it('has a row for every pair of state and action', () => {
    const pairs = TABLE.map(([status, action]) => `${status}/${action}`).sort();
    const expected = ORDER_STATUSES.flatMap((status) =>
      ORDER_ACTIONS.map((action) => `${status}/${action}`),
    ).sort();
    expect(pairs).toEqual(expected);
  });

  describe.each(TABLE.filter(([, , to]) => to !== null))('%s --%s-->', (from, action, to) => {
    it(`moves to ${String(to)}, bumps the version and stamps the change`, () => {
      const order = orderIn(from);
      perform(order, action);
      expect(order.status).toBe(to);
      expect(order.version).toBe(4);
      expect(order.updatedAt).toEqual(LATER);
    });
  });

  describe.each(TABLE.filter(([, , to]) => to === null))('%s --%s-->', (from, action) => {
    it('is refused with a conflict naming the action and the current state, changing nothing', () => {
      const order = orderIn(from);
      const before = order.toSnapshot();
      let error: unknown;
      try {
        perform(order, action);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(IllegalOrderTransitionError);
      expect(error).toMatchObject({
        code: 'ORDERS.ILLEGAL_TRANSITION',
        kind: 'conflict',
        message: `cannot ${action} an order that is ${from}`,
        details: { currentStatus: from, action },
      });
      expect(order.toSnapshot()).toEqual(before);
      expect(order.pullEvents()).toEqual([]);
    });
  });
});
