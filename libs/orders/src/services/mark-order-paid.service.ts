import { Clock } from '#lib/kernel';
import { Injectable, Logger } from '@nestjs/common';
import type { Order } from '../domain/order.js';
import { OrderChanges } from './order-changes.js';

export interface PaymentSucceeded {
  readonly orderId: string;
  readonly paymentId: string;
}

/** Payments charged the order: it becomes `paid` (and `orders.v1.order-paid` is published). */
@Injectable()
export class MarkOrderPaidService {
  private readonly logger = new Logger(MarkOrderPaidService.name);

  constructor(
    private readonly changes: OrderChanges,
    private readonly clock: Clock,
  ) {}

  onPaymentSucceeded({ orderId, paymentId }: PaymentSucceeded): Promise<Order> {
    return this.changes.apply(orderId, (order) => {
      const now = this.clock.now();
      switch (order.status) {
        case 'pending_payment':
          order.markPaid(paymentId, now);
          return;
        case 'cancelled':
          // The customer cancelled while the charge was under way: keep the order cancelled and
          // announce the cancellation as paid, so that payments gives the money back.
          if (order.refundLatePayment(paymentId, now)) {
            this.logger.warn(
              { orderId, paymentId },
              `payment ${paymentId} arrived after order ${orderId} was cancelled; it will be refunded`,
            );
          }
          return;
        case 'paid':
        case 'shipped':
          // Payments charges once per order; a different payment id here is a bug to look into.
          if (order.paymentId !== paymentId) {
            this.logger.error(
              { orderId, paymentId, recordedPaymentId: order.paymentId },
              `order ${orderId} is already paid by another payment`,
            );
          }
          return;
      }
    });
  }
}
