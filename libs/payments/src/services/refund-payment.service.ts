import { Injectable, Logger } from '@nestjs/common';
import { isTransient } from '#lib/resilience';
import type { Payment, PaymentAttempt } from '../domain/payment.js';
import type { PaymentStatus } from '../domain/payment-status.js';
import { describeError } from './describe-error.js';
import { PaymentChangeRecorder } from './payment-change.recorder.js';
import { PaymentIdempotencyKeys } from './payment-idempotency-keys.js';
import { PaymentRetrySchedule } from './payment-retry.schedule.js';
import { PaymentProvider } from './ports/payment-provider.port.js';

/**
 * Makes one claimed refund attempt and records its outcome. Refunds are never given up: the
 * customer is owed the money, so a refund keeps being retried (at most every `retryMaxMs`) and
 * every failed attempt is logged for someone to look at.
 */
@Injectable()
export class RefundPaymentService {
  private readonly logger = new Logger('RefundPayment');

  constructor(
    private readonly provider: PaymentProvider,
    private readonly changes: PaymentChangeRecorder,
    private readonly schedule: PaymentRetrySchedule,
  ) {}

  async refund(
    payment: Payment,
    attempt: PaymentAttempt,
    signal?: AbortSignal,
  ): Promise<PaymentStatus | null> {
    const chargeId = payment.providerChargeId;
    let refundId: string;
    try {
      // The domain never makes a refund due without a charge; a null here is corrupted data.
      if (chargeId === null)
        throw new Error(`payment ${payment.id} has a refund due but no charge`);
      ({ refundId } = await this.provider.refund(
        {
          idempotencyKey: PaymentIdempotencyKeys.refund(payment.orderId),
          chargeId,
          amount: payment.amount,
          currency: payment.currency,
        },
        { signal },
      ));
    } catch (error) {
      const reason = describeError(error);
      const message = `refund of payment ${payment.id} (attempt ${attempt.attempt}) did not complete: ${reason}`;
      if (isTransient(error)) this.logger.warn(message);
      else this.logger.error({ err: error }, message);
      const changed = await this.changes.record(payment.id, (current, now) =>
        current.recordRefundAttemptFailed(
          attempt.attempt,
          reason,
          this.schedule.retryAt(attempt.attempt, error, now),
          now,
        ),
      );
      return changed?.status ?? null;
    }

    const changed = await this.changes.record(payment.id, (current, now) =>
      current.recordRefunded(refundId, now),
    );
    return changed?.status ?? null;
  }
}
