import { Clock } from '#lib/kernel';
import { Injectable, Logger } from '@nestjs/common';
import { runInContinuedTrace } from '#lib/messaging';
import type { Payment, PaymentAttempt } from '../domain/payment.js';
import { PaymentRepository } from '../repositories/payment.repository.js';
import { ChargePaymentService } from './charge-payment.service.js';
import { PaymentSettings } from './payment-settings.js';
import { UnitOfWork } from './ports/unit-of-work.port.js';
import { ReconcilePaymentService } from './reconcile-payment.service.js';
import { RefundPaymentService } from './refund-payment.service.js';

/** A payment leased to this worker, with the action it is due for. */
export interface DuePaymentClaim {
  readonly payment: Payment;
  readonly attempt: PaymentAttempt;
}

/**
 * The work of a payments worker: claims payments with a charge, a refund or a reconciliation (the
 * lookup of a charge given up without an answer) due, and works each claim. Claiming is short and
 * transactional (`FOR UPDATE SKIP LOCKED`, then a lease): any number of workers on any number of
 * replicas share the work, none takes a payment another holds, and a claim whose worker dies is
 * due again when its lease ends.
 */
@Injectable()
export class ProcessDuePaymentsService {
  private readonly logger = new Logger('ProcessDuePayments');

  constructor(
    private readonly payments: PaymentRepository,
    private readonly unitOfWork: UnitOfWork,
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

  /** Leases up to `limit` due payments (a batch by default) and commits the leases. */
  claimDue(limit = this.settings.batchSize): Promise<DuePaymentClaim[]> {
    return this.unitOfWork.run(async () => {
      const now = this.clock.now();
      const due = await this.payments.lockDue(now, limit);
      const claims: DuePaymentClaim[] = [];
      for (const payment of due) {
        const attempt = payment.startAttempt(now, this.settings.leaseMs);
        await this.payments.update(payment);
        claims.push({ payment, attempt });
      }
      return claims;
    });
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
