import { Clock } from '#lib/kernel';
import { Injectable } from '@nestjs/common';
import { Payment } from '../domain/payment.js';
import { CancelledOrderRepository } from '../repositories/cancelled-order.repository.js';
import { PaymentRepository } from '../repositories/payment.repository.js';
import { PaymentSettings } from './payment-settings.js';
import { UnitOfWork } from './ports/unit-of-work.port.js';
import type { DuePaymentClaim } from './process-due-payments.service.js';

export interface OpenPaymentCommand {
  readonly orderId: string;
  readonly customerId: string;
  readonly amount: number;
  readonly currency: string;
  readonly correlationId: string;
  /** Of the placement: the charge continues its trace. */
  readonly traceparent?: string;
}

/** `opened`: a charge is due; `already_open`: the order had its payment; `cancelled`: never charged. */
export type OpenPaymentOutcome = 'opened' | 'already_open' | 'cancelled';

export interface OpenedPayment {
  readonly outcome: OpenPaymentOutcome;
  /** The charge's first attempt, leased to the caller: only when asked for and `opened`. */
  readonly claim: DuePaymentClaim | null;
}

/**
 * An order was placed: records its payment with the charge due. It does not charge: the workers do,
 * outside the message's transaction, so a slow provider never holds up the event's delivery. One
 * payment per order, however many times (or in however many copies) the placement arrives: the
 * order id is the payment's natural key, so no processed-message record is needed (ADR 0061).
 */
@Injectable()
export class OpenPaymentService {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly cancelledOrders: CancelledOrderRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly settings: PaymentSettings,
  ) {}

  /** Opens the payment with its charge due: a worker's next claim takes it. */
  async open(command: OpenPaymentCommand): Promise<OpenPaymentOutcome> {
    return (await this.openPayment(command, false)).outcome;
  }

  /**
   * Opens the payment with its charge's first attempt already started, leased as a worker's claim
   * would lease it, so that the caller's worker charges it at once without claiming it (ADR 0062).
   * If that worker dies first, the lease runs out and any worker takes the charge, as after a claim.
   */
  openClaimed(command: OpenPaymentCommand): Promise<OpenedPayment> {
    return this.openPayment(command, true);
  }

  private openPayment(command: OpenPaymentCommand, claimed: boolean): Promise<OpenedPayment> {
    return this.unitOfWork.run(async () => {
      await this.payments.lockOrder(command.orderId);
      const now = this.clock.now();
      const input = { ...command, now };
      const cancelled = await this.cancelledOrders.isCancelled(command.orderId);
      const payment = cancelled ? Payment.openForCancelledOrder(input) : Payment.open(input);
      const attempt =
        claimed && !cancelled ? payment.startAttempt(now, this.settings.leaseMs) : null;
      // The unique order id answers "is it open already?" with no SELECT before the insert.
      if (!(await this.payments.insert(payment))) return { outcome: 'already_open', claim: null };
      if (cancelled) return { outcome: 'cancelled', claim: null };
      return { outcome: 'opened', claim: attempt && { payment, attempt } };
    });
  }
}
