import { Clock } from '#lib/kernel';
import { Injectable } from '@nestjs/common';
import { EventPublisher } from '#lib/messaging';
import type { Payment } from '../domain/payment.js';
import { PaymentRepository } from '../repositories/payment.repository.js';
import { toIntegrationEvent } from './payment-integration-events.js';
import { UnitOfWork } from './ports/unit-of-work.port.js';

/**
 * Applies a change to a payment under its row lock and publishes the events it produced through
 * the outbox, all in one transaction: the state and its announcement commit together or not at all.
 */
@Injectable()
export class PaymentChangeRecorder {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
  ) {}

  /** Returns the payment as changed, or null when it does not exist. */
  record(
    paymentId: string,
    change: (payment: Payment, now: Date) => void,
  ): Promise<Payment | null> {
    return this.unitOfWork.run(async () => {
      const payment = await this.payments.lockById(paymentId);
      if (payment === null) return null;
      change(payment, this.clock.now());
      await this.payments.update(payment);
      await this.publish(payment);
      return payment;
    });
  }

  /** Publishes what `payment` recorded; call inside the unit of work that saves it. */
  async publish(payment: Payment): Promise<void> {
    const events = payment.pullEvents();
    if (events.length === 0) return;
    await this.publisher.publish(
      events.map((event) => toIntegrationEvent(event, payment.correlationId)),
    );
  }
}
