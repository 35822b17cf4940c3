import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  type MessageEnvelope,
  ORDER_EVENTS,
  OrderCancelledPayload,
  OrderPlacedPayload,
} from '#lib/contracts';
import {
  DeliveryPolicy,
  EventEnvelopePipe,
  IdempotentConsumer,
  SAGA_STEP_RETRIES,
} from '#lib/messaging';
import { CancelPaymentService } from '../services/cancel-payment.service.js';
import { type OpenedPayment, OpenPaymentService } from '../services/open-payment.service.js';
import { DuePaymentsWorker } from './due-payments.worker.js';

/**
 * Consumer names: they label each handler's retries and dead letters, and the cancellation's
 * processed-message records. A placement needs none: its payment's order id makes it once (ADR 0061).
 */
export const PAYMENTS_CONSUMERS = {
  openPayment: 'payments.open-payment',
  cancelPayment: 'payments.cancel-payment',
} as const;

/**
 * Order events, as payments reacts to them. Each handler only records what is now due, in the
 * message's transaction, and wakes the worker: no provider call happens while a message is being
 * delivered, so a provider outage never fails (or dead-letters) a message. What can fail here is
 * our own database; these are saga steps, so they are retried for hours before dead-lettering.
 */
@Controller()
export class OrderEventsMessageController {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly openPayment: OpenPaymentService,
    private readonly cancelPayment: CancelPaymentService,
    private readonly worker: DuePaymentsWorker,
  ) {}

  @EventPattern(ORDER_EVENTS.placed)
  @DeliveryPolicy({ ...SAGA_STEP_RETRIES, consumer: PAYMENTS_CONSUMERS.openPayment })
  async onOrderPlaced(
    @Payload(new EventEnvelopePipe(OrderPlacedPayload)) event: MessageEnvelope<OrderPlacedPayload>,
  ): Promise<void> {
    const { orderId, customerId, total, currency } = event.payload;
    const command = {
      orderId,
      customerId,
      amount: total,
      currency,
      correlationId: event.correlationId,
      traceparent: event.traceparent,
    };
    // With a slot free, the payment is opened claimed and charged at once (ADR 0062).
    const slot = this.worker.reserveSlot();
    if (slot === null) {
      if ((await this.openPayment.open(command)) === 'opened') this.worker.wake();
      return;
    }
    let opened: OpenedPayment;
    try {
      opened = await this.openPayment.openClaimed(command);
    } catch (error) {
      slot.release();
      throw error;
    }
    if (opened.claim) slot.work(opened.claim);
    else slot.release();
  }

  @EventPattern(ORDER_EVENTS.cancelled)
  @DeliveryPolicy({ ...SAGA_STEP_RETRIES, consumer: PAYMENTS_CONSUMERS.cancelPayment })
  async onOrderCancelled(
    @Payload(new EventEnvelopePipe(OrderCancelledPayload))
    event: MessageEnvelope<OrderCancelledPayload>,
  ): Promise<void> {
    const { orderId, customerId } = event.payload;
    const outcome = await this.consumer.handle(PAYMENTS_CONSUMERS.cancelPayment, event, () =>
      this.cancelPayment.cancel({ orderId, customerId }),
    );
    if (!outcome.duplicate && outcome.result === 'refund_due') this.worker.wake();
  }
}
