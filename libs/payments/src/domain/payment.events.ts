/**
 * What a payment's state changes mean to the rest of the shop. The payment records them as they
 * happen; the use case publishes them (as `payments.v1.*` integration events) in the same
 * transaction as the change.
 */
export interface PaymentSucceeded {
  readonly kind: 'succeeded';
  readonly paymentId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly amount: number;
  readonly currency: string;
}

export interface PaymentFailed {
  readonly kind: 'failed';
  readonly paymentId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly code: string;
  readonly reason: string;
}

export interface PaymentRefunded {
  readonly kind: 'refunded';
  readonly paymentId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly amount: number;
  readonly currency: string;
}

export type PaymentEvent = PaymentSucceeded | PaymentFailed | PaymentRefunded;
