import { Controller } from '@nestjs/common';
import {
  type MessageEnvelope,
  ORDER_EVENTS,
  OrderCancelledPayload,
  PAYMENT_EVENTS,
  PaymentFailedPayload,
  PaymentSucceededPayload,
} from '#lib/contracts';
import { DeliveryPolicy, EventEnvelopePipe, IdempotentConsumer } from '#lib/messaging';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CancelOrderOnPaymentFailureService } from '../services/cancel-order-on-payment-failure.service.js';
import { MarkOrderPaidService } from '../services/mark-order-paid.service.js';
import { ReleaseOrderStockService } from '../services/release-order-stock.service.js';

/** Stable consumer names: the idempotent-consumer records and dead letters are keyed by them. */
export const ORDERS_CONSUMERS = {
  markOrderPaid: 'orders.mark-order-paid',
  cancelOrderOnPaymentFailure: 'orders.cancel-order-on-payment-failure',
  releaseOrderStock: 'orders.release-order-stock',
} as const;

/** The saga's inbound steps: payment outcomes move the order on, cancellations give stock back. */
@Controller()
export class OrdersMessageController {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly markOrderPaid: MarkOrderPaidService,
    private readonly cancelOrderOnPaymentFailure: CancelOrderOnPaymentFailureService,
    private readonly releaseOrderStock: ReleaseOrderStockService,
  ) {}

  // Fails only on a database hiccup or a concurrent change of the same order: short retries.
  @EventPattern(PAYMENT_EVENTS.succeeded)
  @DeliveryPolicy({ maxAttempts: 5, backoffMs: 200, consumer: ORDERS_CONSUMERS.markOrderPaid })
  async onPaymentSucceeded(
    @Payload(new EventEnvelopePipe(PaymentSucceededPayload))
    event: MessageEnvelope<PaymentSucceededPayload>,
  ): Promise<void> {
    await this.consumer.handle(ORDERS_CONSUMERS.markOrderPaid, event, () =>
      this.markOrderPaid.onPaymentSucceeded(event.payload),
    );
  }

  @EventPattern(PAYMENT_EVENTS.failed)
  @DeliveryPolicy({
    maxAttempts: 5,
    backoffMs: 200,
    consumer: ORDERS_CONSUMERS.cancelOrderOnPaymentFailure,
  })
  async onPaymentFailed(
    @Payload(new EventEnvelopePipe(PaymentFailedPayload))
    event: MessageEnvelope<PaymentFailedPayload>,
  ): Promise<void> {
    await this.consumer.handle(ORDERS_CONSUMERS.cancelOrderOnPaymentFailure, event, () =>
      this.cancelOrderOnPaymentFailure.onPaymentFailed(event.payload),
    );
  }

  /**
   * This context's own event: whatever cancelled the order (customer, admin, failed payment), its
   * stock goes back from here, as durably as the cancellation was committed. No processed-message
   * record: the catalog's release is idempotent, and no database transaction is held open across
   * the RPC. The retries cover a catalog restart (about 15 s); past that the event is dead-lettered.
   */
  @EventPattern(ORDER_EVENTS.cancelled)
  @DeliveryPolicy({
    maxAttempts: 8,
    backoffMs: 200,
    maxBackoffMs: 5_000,
    consumer: ORDERS_CONSUMERS.releaseOrderStock,
  })
  async onOrderCancelled(
    @Payload(new EventEnvelopePipe(OrderCancelledPayload))
    event: MessageEnvelope<OrderCancelledPayload>,
  ): Promise<void> {
    await this.releaseOrderStock.release(event.payload.orderId);
  }
}
