import { DomainError } from '#lib/kernel';
import type { OrderAction, OrderStatus } from './order-status.js';

/** The action is not allowed in the order's current state (409 with the state). */
export class IllegalOrderTransitionError extends DomainError {
  readonly code = 'ORDERS.ILLEGAL_TRANSITION';
  readonly kind = 'conflict';

  constructor(
    readonly action: OrderAction,
    readonly currentStatus: OrderStatus,
  ) {
    super(`cannot ${action} an order that is ${currentStatus}`, { action, currentStatus });
  }
}

/** No such order, or it belongs to someone else: ids cannot be probed to learn what exists. */
export class OrderNotFoundError extends DomainError {
  readonly code = 'ORDERS.ORDER_NOT_FOUND';
  readonly kind = 'not_found';

  constructor(readonly orderId: string) {
    super('The order was not found', { orderId });
  }
}

/** The order was changed by someone else between read and write; re-read and try again. */
export class OrderConcurrentlyModifiedError extends DomainError {
  readonly code = 'ORDERS.CONCURRENT_MODIFICATION';
  readonly kind = 'conflict';

  constructor(readonly orderId: string) {
    super('The order was changed by another request; reload it and try again', { orderId });
  }
}

/** A line that breaks the order's invariants (no lines, bad quantity or price, a total too large). */
export class InvalidOrderError extends DomainError {
  readonly code = 'ORDERS.INVALID_ORDER';
  readonly kind = 'validation';

  constructor(reason: string) {
    super(reason);
  }
}
