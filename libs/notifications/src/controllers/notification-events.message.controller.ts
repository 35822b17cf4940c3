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
  type NotificationTemplate,
  ORDER_CANCELLED_TEMPLATE,
  ORDER_PAID_TEMPLATE,
  ORDER_PLACED_TEMPLATE,
  ORDER_SHIPPED_TEMPLATE,
  PAYMENT_REFUNDED_TEMPLATE,
} from '../domain/notification-templates.js';
import { NotifyCustomerService } from '../services/notify-customer.service.js';

/**
 * One consumer per template, so one event may give a customer a notification per template. The
 * name labels the event's retries and dead letters; the template's name is half of the
 * notification's unique key, so renaming a template would notify again on a redelivery.
 */
export const notificationConsumer = (template: { readonly name: string }): string =>
  `notifications.${template.name}`;

/**
 * Each handler only records the notification and enqueues its delivery job, so it is quick and
 * the only thing that fails it is Postgres or Redis being unreachable: a few spaced retries ride
 * out a blip, after which the event is dead-lettered (replaying it enqueues the job).
 */
const policy = (template: { name: string }): DeliveryPolicyOptions => ({
  maxAttempts: 5,
  backoffMs: 500,
  maxBackoffMs: 5_000,
  consumer: notificationConsumer(template),
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
    await this.notify(event, ORDER_PLACED_TEMPLATE);
  }

  @EventPattern(ORDER_EVENTS.paid)
  @DeliveryPolicy(policy(ORDER_PAID_TEMPLATE))
  async onOrderPaid(
    @Payload(new EventEnvelopePipe(OrderPaidPayload)) event: MessageEnvelope<OrderPaidPayload>,
  ): Promise<void> {
    await this.notify(event, ORDER_PAID_TEMPLATE);
  }

  @EventPattern(ORDER_EVENTS.cancelled)
  @DeliveryPolicy(policy(ORDER_CANCELLED_TEMPLATE))
  async onOrderCancelled(
    @Payload(new EventEnvelopePipe(OrderCancelledPayload))
    event: MessageEnvelope<OrderCancelledPayload>,
  ): Promise<void> {
    // The customer heard of this cancellation when it happened; the refund gets its own message.
    if (event.payload.refundsLatePayment === true) return;
    await this.notify(event, ORDER_CANCELLED_TEMPLATE);
  }

  @EventPattern(ORDER_EVENTS.shipped)
  @DeliveryPolicy(policy(ORDER_SHIPPED_TEMPLATE))
  async onOrderShipped(
    @Payload(new EventEnvelopePipe(OrderShippedPayload))
    event: MessageEnvelope<OrderShippedPayload>,
  ): Promise<void> {
    await this.notify(event, ORDER_SHIPPED_TEMPLATE);
  }

  @EventPattern(PAYMENT_EVENTS.refunded)
  @DeliveryPolicy(policy(PAYMENT_REFUNDED_TEMPLATE))
  async onPaymentRefunded(
    @Payload(new EventEnvelopePipe(PaymentRefundedPayload))
    event: MessageEnvelope<PaymentRefundedPayload>,
  ): Promise<void> {
    await this.notify(event, PAYMENT_REFUNDED_TEMPLATE);
  }

  /**
   * The notification is recorded once per event and template, by its own unique key (one
   * statement, no transaction: ADR 0059); its delivery is enqueued after that commit, on a
   * duplicate delivery too, for as long as it is owed (the first delivery may have recorded it
   * and then failed to enqueue).
   */
  private async notify<TPayload extends { readonly customerId: string }>(
    event: MessageEnvelope<TPayload>,
    template: NotificationTemplate<TPayload>,
  ): Promise<void> {
    const recorded = await this.notifyCustomer.record(event, template);
    await this.notifyCustomer.enqueueOwed(event, template, recorded);
  }
}
