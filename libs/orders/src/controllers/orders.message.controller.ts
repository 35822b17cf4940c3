import { Controller } from '@nestjs/common';
import {
  type MessageEnvelope,
  PAYMENT_EVENTS,
  PaymentFailedPayload,
  PaymentSucceededPayload,
} from '#lib/contracts';
import { DeliveryPolicy, EventEnvelopePipe, SAGA_STEP_RETRIES } from '#lib/messaging';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CancelOrderOnPaymentFailureService } from '../services/cancel-order-on-payment-failure.service.js';
import { MarkOrderPaidService } from '../services/mark-order-paid.service.js';

/** Stable consumer names: the handlers' retries and dead letters are keyed by them. */
export const ORDERS_CONSUMERS = {
  markOrderPaid: 'orders.mark-order-paid',
  cancelOrderOnPaymentFailure: 'orders.cancel-order-on-payment-failure',
} as const;

/**
 * The saga's inbound steps: payment outcomes move the order on. A cancelled order's stock goes back
 * without orders: catalog consumes `orders.v1.order-cancelled` itself. Each step happens once
 * however often its message arrives, through the order's own state (ADR 0061): a paid order is not
 * paid again, a cancelled one not cancelled again, and a late payment is refunded once.
 */
@Controller()
export class OrdersMessageController {
  constructor(
    private readonly markOrderPaid: MarkOrderPaidService,
    private readonly cancelOrderOnPaymentFailure: CancelOrderOnPaymentFailureService,
  ) {}

  // Fails only on a database hiccup or a concurrent change of the same order; a saga step, so it
  // is retried for hours before it is dead-lettered.
  @EventPattern(PAYMENT_EVENTS.succeeded)
  @DeliveryPolicy({ ...SAGA_STEP_RETRIES, consumer: ORDERS_CONSUMERS.markOrderPaid })
  async onPaymentSucceeded(
    @Payload(new EventEnvelopePipe(PaymentSucceededPayload))
    event: MessageEnvelope<PaymentSucceededPayload>,
  ): Promise<void> {
    await this.markOrderPaid.onPaymentSucceeded(event.payload);
  }

  @EventPattern(PAYMENT_EVENTS.failed)
  @DeliveryPolicy({ ...SAGA_STEP_RETRIES, consumer: ORDERS_CONSUMERS.cancelOrderOnPaymentFailure })
  async onPaymentFailed(
    @Payload(new EventEnvelopePipe(PaymentFailedPayload))
    event: MessageEnvelope<PaymentFailedPayload>,
  ): Promise<void> {
    await this.cancelOrderOnPaymentFailure.onPaymentFailed(event.payload);
  }
}
