import { randomUUID } from 'node:crypto';
import { Order } from '../domain/order.js';
import type { OrderStatus } from '../domain/order-status.js';

export const PAYMENT_ID = '0b4f5f0e-55a1-4f7e-8b0c-6d2f5e8a9c31';

/** An order of one customer in the given state, as the domain would have brought it there. */
export function orderIn(
  status: OrderStatus,
  customerId: string,
  at = new Date('2026-03-01T09:00:00.000Z'),
): Order {
  const order = Order.place({
    id: randomUUID(),
    customerId,
    currency: 'EUR',
    lines: [{ productId: randomUUID(), sku: 'MUG-1', name: 'Mug', unitPrice: 1250, quantity: 2 }],
    now: at,
  });
  if (status === 'paid' || status === 'shipped') order.markPaid(PAYMENT_ID, at);
  if (status === 'shipped') order.ship(at);
  if (status === 'cancelled') order.cancel('cancelled_by_customer', at);
  order.pullEvents();
  return order;
}
