import { Injectable, Logger } from '@nestjs/common';
import { isTransient } from '#lib/resilience';
import type { Payment, PaymentAttempt } from '../domain/payment.js';
import type { PaymentStatus } from '../domain/payment-status.js';
import { describeError } from './describe-error.js';
import { PaymentChangeRecorder } from './payment-change.recorder.js';
import { PaymentIdempotencyKeys } from './payment-idempotency-keys.js';
import { PaymentRetrySchedule } from './payment-retry.schedule.js';
import { PaymentSettings } from './payment-settings.js';
import { type ChargeResult, PaymentProvider } from './ports/payment-provider.port.js';

/**
 * Makes one claimed charge attempt and records its outcome. The provider call happens outside any
 * transaction (no connection is held while the provider thinks); the outcome is then applied under
 * the payment's lock. A decline is final; no answer (outage, timeout, open breaker) leaves the
 * payment pending with its next attempt scheduled, until the charge deadline.
 */
@Injectable()
export class ChargePaymentService {
  private readonly logger = new Logger('ChargePayment');

  constructor(
    private readonly provider: PaymentProvider,
    private readonly changes: PaymentChangeRecorder,
    private readonly schedule: PaymentRetrySchedule,
    private readonly settings: PaymentSettings,
  ) {}

  /** Returns the payment's status after the attempt (null if the payment vanished). */
  async charge(
    payment: Payment,
    attempt: PaymentAttempt,
    signal?: AbortSignal,
  ): Promise<PaymentStatus | null> {
    let result: ChargeResult;
    try {
      result = await this.provider.charge(
        {
          idempotencyKey: PaymentIdempotencyKeys.charge(payment.orderId),
          reference: payment.orderId,
          customerId: payment.customerId,
          amount: payment.amount,
          currency: payment.currency,
        },
        { signal },
      );
    } catch (error) {
      return this.recordNoAnswer(payment, attempt, error);
    }

    const changed = await this.changes.record(payment.id, (current, now) => {
      if (result.status === 'succeeded') current.recordCharged(result.chargeId, now);
      else current.recordDeclined(result.code, result.reason, now);
    });
    if (result.status === 'declined') {
      this.logger.log(`payment ${payment.id} of order ${payment.orderId} declined: ${result.code}`);
    }
    return changed?.status ?? null;
  }

  private async recordNoAnswer(
    payment: Payment,
    attempt: PaymentAttempt,
    error: unknown,
  ): Promise<PaymentStatus | null> {
    const reason = describeError(error);
    // Not transient means a bug, not the provider: still never lose the payment, but say so loudly.
    if (isTransient(error)) {
      this.logger.warn(
        `charge of payment ${payment.id} (attempt ${attempt.attempt}) got no answer: ${reason}`,
      );
    } else {
      this.logger.error(
        { err: error },
        `charge of payment ${payment.id} (attempt ${attempt.attempt}) failed unexpectedly: ${reason}`,
      );
    }
    const changed = await this.changes.record(payment.id, (current, now) => {
      const deadline = current.createdAt.getTime() + this.settings.chargeDeadlineMs;
      if (now.getTime() >= deadline) {
        // The first lookup waits one retry delay: a charge the provider is still processing shows.
        current.giveUpCharge(attempt.attempt, reason, this.schedule.retryAt(1, error, now), now);
      } else {
        const retryAt = this.schedule.retryAt(attempt.attempt, error, now);
        current.recordChargeAttemptFailed(attempt.attempt, reason, retryAt, now);
      }
    });
    if (changed?.status === 'failed') {
      this.logger.error(
        `gave up charging payment ${payment.id} of order ${payment.orderId} after ${attempt.attempt} attempt(s): ${reason}`,
      );
    }
    return changed?.status ?? null;
  }
}
