import { Clock } from '#lib/kernel';
import { Injectable, Logger } from '@nestjs/common';
import { runInContinuedTrace } from '#lib/messaging';
import type { Payment, PaymentAttempt } from '../domain/payment.js';
import { PaymentRepository } from '../repositories/payment.repository.js';
import { ChargePaymentService } from './charge-payment.service.js';
import { PaymentSettings } from './payment-settings.js';
import { ReconcilePaymentService } from './reconcile-payment.service.js';
import { RefundPaymentService } from './refund-payment.service.js';

/** A payment leased to this worker, with the action it is due for. */
export interface DuePaymentClaim {
  readonly payment: Payment;
  readonly attempt: PaymentAttempt;
}

/**
 * The work of a payments worker: claims payments with a charge, a refund or a reconciliation (the
 * lookup of a charge given up without an answer) due, and works each claim. A claim is one short
 * statement (`FOR UPDATE SKIP LOCKED` and the lease together): any number of workers on any number
 * of replicas share the work, none takes a payment another holds, and a claim whose worker dies is
 * due again when its lease ends.
 */
@Injectable()
export class ProcessDuePaymentsService {
  private readonly logger = new Logger('ProcessDuePayments');

  constructor(
    private readonly payments: PaymentRepository,
    private readonly clock: Clock,
    private readonly settings: PaymentSettings,
    private readonly charges: ChargePaymentService,
    private readonly refunds: RefundPaymentService,
    private readonly reconciliations: ReconcilePaymentService,
  ) {}

  /**
   * One pass: claims a batch and works it to the end. Returns how many payments it claimed; a full
   * batch suggests more are due. The background worker claims as its slots free instead.
   */
  async processDue(signal?: AbortSignal): Promise<number> {
    const claims = await this.claimDue();
    await Promise.all(claims.map((claim) => this.work(claim, signal)));
    return claims.length;
  }

  /**
   * Leases up to `limit` due payments (a batch by default), committed when it returns: one
   * statement, where a transaction locked them, then updated each.
   */
  async claimDue(limit = this.settings.batchSize): Promise<DuePaymentClaim[]> {
    const now = this.clock.now();
    const { leaseMs } = this.settings;
    const due = await this.payments.leaseDue(now, limit, new Date(now.getTime() + leaseMs));
    // The statement stored the lease this attempt records: the domain derives the attempt itself.
    return due.map((payment) => ({ payment, attempt: payment.startAttempt(now, leaseMs) }));
  }

  /** Charges, refunds or reconciles one claimed payment. Never rejects: see the catch. */
  async work({ payment, attempt }: DuePaymentClaim, signal?: AbortSignal): Promise<void> {
    try {
      switch (attempt.action) {
        case 'charge':
          await this.inPlacementTrace(payment, attempt, () =>
            this.charges.charge(payment, attempt, signal),
          );
          break;
        case 'refund':
          await this.refunds.refund(payment, attempt, signal);
          break;
        case 'reconcile':
          await this.inPlacementTrace(payment, attempt, () =>
            this.reconciliations.reconcile(payment, attempt, signal),
          );
          break;
      }
    } catch (error) {
      // The outcome could not be recorded (database down?): the lease runs out and it is retried.
      this.logger.error(
        { err: error },
        `${attempt.action} of payment ${payment.id} could not be recorded; it is retried after its lease`,
      );
    }
  }

  /**
   * A charge (or the lookup of one given up on) runs in a span whose PARENT is the order placement
   * the payment was opened by, not a new trace with a link to it: the charge has exactly one cause,
   * and what it publishes (`payment-succeeded`, then `order-paid` and the customer's notification)
   * belongs to the order's trace, which a link would end at payments. A refund is left out: it is
   * caused by a cancellation, whose trace the payment does not keep.
   */
  private inPlacementTrace<T>(
    payment: Payment,
    attempt: PaymentAttempt,
    work: () => Promise<T>,
  ): Promise<T> {
    return runInContinuedTrace(
      `payments.${attempt.action}`,
      payment.traceparent ?? undefined,
      work,
    );
  }
}
