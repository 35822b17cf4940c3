import { Clock } from '#lib/kernel';
import { Injectable, Logger } from '@nestjs/common';
import type { Order } from '../domain/order.js';
import { OrderChanges } from './order-changes.js';

export interface PaymentFailed {
  readonly orderId: string;
  readonly code: string;
  /** Why, in words for the customer. */
  readonly reason: string;
}

/**
 * The charge was declined or could not be made: the order is cancelled with reason
 * `payment_failed`. Its `orders.v1.order-cancelled` (wasPaid=false, with the failure) then makes
 * the catalog release the stock and notifications tell the customer, once, why.
 */
@Injectable()
export class CancelOrderOnPaymentFailureService {
  private readonly logger = new Logger(CancelOrderOnPaymentFailureService.name);

  constructor(
    private readonly changes: OrderChanges,
    private readonly clock: Clock,
  ) {}

  onPaymentFailed({ orderId, code, reason }: PaymentFailed): Promise<Order> {
    return this.changes.apply(orderId, (order) => {
      switch (order.status) {
        case 'pending_payment':
          order.cancelForFailedPayment(reason, this.clock.now());
          return;
        case 'cancelled':
          // Already cancelled (by the customer, or by an earlier report): nothing more to undo.
          return;
        case 'paid':
        case 'shipped':
          this.logger.warn(
            { orderId, code, status: order.status },
            `ignoring a payment failure (${code}) for order ${orderId}, which is ${order.status}`,
          );
          return;
      }
    });
  }
}
