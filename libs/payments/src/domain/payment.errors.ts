import { DomainError } from '#lib/kernel';
import type { PaymentStatus } from './payment-status.js';

/** A payment was asked to start work it has none of: a caller bug, never a client's fault. */
export class PaymentNotDueError extends DomainError {
  readonly code = 'PAYMENTS.PAYMENT_NOT_DUE';
  readonly kind = 'conflict';

  constructor(paymentId: string, status: PaymentStatus) {
    super(`Payment ${paymentId} has no charge or refund due: it is ${status}`, {
      paymentId,
      status,
    });
  }
}

export class InvalidPaymentAmountError extends DomainError {
  readonly code = 'PAYMENTS.INVALID_AMOUNT';
  readonly kind = 'validation';

  constructor(amount: number) {
    super(`A payment amount is a non-negative whole number of minor units, not ${amount}`, {
      amount,
    });
  }
}
