import { Controller } from '@nestjs/common';
import {
  type MessageEnvelope,
  PAYMENT_EVENTS,
  PaymentFailedPayload,
  PaymentSucceededPayload,
} from '#lib/contracts';
import {
  DeliveryPolicy,
  EventEnvelopePipe,
  IdempotentConsumer,
  SAGA_STEP_RETRIES,
} from '#lib/messaging';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CancelOrderOnPaymentFailureService } from '../services/cancel-order-on-payment-failure.service.js';
import { MarkOrderPaidService } from '../services/mark-order-paid.service.js';

/** Stable consumer names: the idempotent-consumer records and dead letters are keyed by them. */
export const ORDERS_CONSUMERS = {
  markOrderPaid: 'orders.mark-order-paid',
  cancelOrderOnPaymentFailure: 'orders.cancel-order-on-payment-failure',
} as const;

/**
 * The saga's inbound steps: payment outcomes move the order on. A cancelled order's stock goes back
 * without orders: catalog consumes `orders.v1.order-cancelled` itself.
 */
@Controller()
export class OrdersMessageController {
  constructor(
    private readonly consumer: IdempotentConsumer,
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
    await this.consumer.handle(ORDERS_CONSUMERS.markOrderPaid, event, () =>
      this.markOrderPaid.onPaymentSucceeded(event.payload),
    );
  }

  @EventPattern(PAYMENT_EVENTS.failed)
  @DeliveryPolicy({ ...SAGA_STEP_RETRIES, consumer: ORDERS_CONSUMERS.cancelOrderOnPaymentFailure })
  async onPaymentFailed(
    @Payload(new EventEnvelopePipe(PaymentFailedPayload))
    event: MessageEnvelope<PaymentFailedPayload>,
  ): Promise<void> {
    await this.consumer.handle(ORDERS_CONSUMERS.cancelOrderOnPaymentFailure, event, () =>
      this.cancelOrderOnPaymentFailure.onPaymentFailed(event.payload),
    );
  }
}
