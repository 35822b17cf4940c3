import { Clock } from '#lib/kernel';
import { Injectable } from '@nestjs/common';
import type { Order } from '../domain/order.js';
import type { OrderActor } from '../domain/order-actor.js';
import { OrderChanges } from './order-changes.js';

/**
 * A customer cancels their order, or an admin any order, until it ships. The cancellation event
 * (outbox) drives the rest: the catalog releases the stock on it and payments refunds a paid order.
 */
@Injectable()
export class CancelOrderService {
  constructor(
    private readonly changes: OrderChanges,
    private readonly clock: Clock,
  ) {}

  cancel(orderId: string, actor: OrderActor): Promise<Order> {
    return this.changes.apply(
      orderId,
      (order) =>
        order.cancel(
          actor.id === order.customerId ? 'cancelled_by_customer' : 'cancelled_by_admin',
          this.clock.now(),
        ),
      (order) => order.isVisibleTo(actor),
    );
  }
}
