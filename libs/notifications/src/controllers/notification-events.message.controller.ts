import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  type MessageEnvelope,
  ORDER_EVENTS,
  OrderCancelledPayload,
  OrderPaidPayload,
  OrderPlacedPayload,
  OrderShippedPayload,
  PAYMENT_EVENTS,
  PaymentRefundedPayload,
} from '#lib/contracts';
import { DeliveryPolicy, type DeliveryPolicyOptions, EventEnvelopePipe } from '#lib/messaging';
import {
  ORDER_CANCELLED_TEMPLATE,
  ORDER_PAID_TEMPLATE,
  ORDER_PLACED_TEMPLATE,
  ORDER_SHIPPED_TEMPLATE,
  PAYMENT_REFUNDED_TEMPLATE,
} from '../domain/notification-templates.js';
import { NotifyCustomerService } from '../services/notify-customer.service.js';

/**
 * Each handler only records the notification and enqueues its delivery job, so it is quick and
 * the only thing that fails it is Postgres or Redis being unreachable: a few spaced retries ride
 * out a blip, after which the event is dead-lettered (replaying it enqueues the job).
 */
const policy = (template: { name: string }): DeliveryPolicyOptions => ({
  maxAttempts: 5,
  backoffMs: 500,
  maxBackoffMs: 5_000,
  consumer: `notifications.${template.name}`,
});

/**
 * Inbound adapter: the order and payment events a customer is told about. Not
 * `payments.v1.payment-failed`: the order's cancellation that follows it carries the failure, so a
 * declined payment is one message (ORDER_CANCELLED_TEMPLATE).
 */
@Controller()
export class NotificationEventsMessageController {
  constructor(private readonly notifyCustomer: NotifyCustomerService) {}

  @EventPattern(ORDER_EVENTS.placed)
  @DeliveryPolicy(policy(ORDER_PLACED_TEMPLATE))
  async onOrderPlaced(
    @Payload(new EventEnvelopePipe(OrderPlacedPayload)) event: MessageEnvelope<OrderPlacedPayload>,
  ): Promise<void> {
    await this.notifyCustomer.notify(event, ORDER_PLACED_TEMPLATE);
  }

  @EventPattern(ORDER_EVENTS.paid)
  @DeliveryPolicy(policy(ORDER_PAID_TEMPLATE))
  async onOrderPaid(
    @Payload(new EventEnvelopePipe(OrderPaidPayload)) event: MessageEnvelope<OrderPaidPayload>,
  ): Promise<void> {
    await this.notifyCustomer.notify(event, ORDER_PAID_TEMPLATE);
  }

  @EventPattern(ORDER_EVENTS.cancelled)
  @DeliveryPolicy(policy(ORDER_CANCELLED_TEMPLATE))
  async onOrderCancelled(
    @Payload(new EventEnvelopePipe(OrderCancelledPayload))
    event: MessageEnvelope<OrderCancelledPayload>,
  ): Promise<void> {
    // The customer heard of this cancellation when it happened; the refund gets its own message.
    if (event.payload.refundsLatePayment === true) return;
    await this.notifyCustomer.notify(event, ORDER_CANCELLED_TEMPLATE);
  }

  @EventPattern(ORDER_EVENTS.shipped)
  @DeliveryPolicy(policy(ORDER_SHIPPED_TEMPLATE))
  async onOrderShipped(
    @Payload(new EventEnvelopePipe(OrderShippedPayload))
    event: MessageEnvelope<OrderShippedPayload>,
  ): Promise<void> {
    await this.notifyCustomer.notify(event, ORDER_SHIPPED_TEMPLATE);
  }

  @EventPattern(PAYMENT_EVENTS.refunded)
  @DeliveryPolicy(policy(PAYMENT_REFUNDED_TEMPLATE))
  async onPaymentRefunded(
    @Payload(new EventEnvelopePipe(PaymentRefundedPayload))
    event: MessageEnvelope<PaymentRefundedPayload>,
  ): Promise<void> {
    await this.notifyCustomer.notify(event, PAYMENT_REFUNDED_TEMPLATE);
  }
}
