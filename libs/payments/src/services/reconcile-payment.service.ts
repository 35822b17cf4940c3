import { Injectable, Logger } from '@nestjs/common';
import { isTransient } from '#lib/resilience';
import type { Payment, PaymentAttempt } from '../domain/payment.js';
import type { PaymentStatus } from '../domain/payment-status.js';
import { describeError } from './describe-error.js';
import { PaymentChangeRecorder } from './payment-change.recorder.js';
import { PaymentIdempotencyKeys } from './payment-idempotency-keys.js';
import { PaymentRetrySchedule } from './payment-retry.schedule.js';
import { type ChargeLookupResult, PaymentProvider } from './ports/payment-provider.port.js';

/**
 * Makes one claimed reconciliation attempt: looks up, by its idempotency key, a charge we gave up
 * on without an answer, and settles what the provider says. A charge that exists is refunded (the
 * payment is closed and the order is not going ahead; see docs/adr/0026); no charge, or a decline,
 * closes the reconciliation with nothing owed. No answer is retried with backoff, never given up:
 * money may be owed.
 */
@Injectable()
export class ReconcilePaymentService {
  private readonly logger = new Logger('ReconcilePayment');

  constructor(
    private readonly provider: PaymentProvider,
    private readonly changes: PaymentChangeRecorder,
    private readonly schedule: PaymentRetrySchedule,
  ) {}

  /** Returns the payment's status after the attempt (null if the payment vanished). */
  async reconcile(
    payment: Payment,
    attempt: PaymentAttempt,
    signal?: AbortSignal,
  ): Promise<PaymentStatus | null> {
    let found: ChargeLookupResult;
    try {
      found = await this.provider.lookUpCharge(PaymentIdempotencyKeys.charge(payment.orderId), {
        signal,
      });
    } catch (error) {
      const reason = describeError(error);
      const message = `lookup of the charge of payment ${payment.id} (attempt ${attempt.attempt}) got no answer: ${reason}`;
      if (isTransient(error)) this.logger.warn(message);
      else this.logger.error({ err: error }, message);
      const changed = await this.changes.record(payment.id, (current, now) =>
        current.recordReconcileAttemptFailed(
          attempt.attempt,
          reason,
          this.schedule.retryAt(attempt.attempt, error, now),
          now,
        ),
      );
      return changed?.status ?? null;
    }

    const changed = await this.changes.record(payment.id, (current, now) => {
      if (found.status === 'succeeded') current.recordCharged(found.chargeId, now);
      else current.recordNothingCharged(attempt.attempt, now);
    });
    if (found.status === 'succeeded') {
      this.logger.warn(
        `payment ${payment.id} of order ${payment.orderId} was charged after we gave up on it; refunding it`,
      );
    }
    return changed?.status ?? null;
  }
}
