import { IsInt, IsISO4217CurrencyCode, IsString, IsUUID, Min } from 'class-validator';

/** Event names the payments context publishes (wire names carry the major version). */
export const PAYMENT_EVENTS = {
  succeeded: 'payments.v1.payment-succeeded',
  failed: 'payments.v1.payment-failed',
  refunded: 'payments.v1.payment-refunded',
} as const;

/** The order's amount was charged, exactly once. */
export class PaymentSucceededPayload {
  @IsUUID() paymentId!: string;
  @IsUUID() orderId!: string;
  @IsUUID() customerId!: string;
  /** Minor units. */
  @IsInt() @Min(0) amount!: number;
  @IsISO4217CurrencyCode() currency!: string;
}

/** The charge was declined or could not be made; orders cancels the order and releases stock. */
export class PaymentFailedPayload {
  @IsUUID() orderId!: string;
  @IsUUID() customerId!: string;
  /** Stable code such as `PAYMENTS.CARD_DECLINED` or `PAYMENTS.PROVIDER_UNAVAILABLE`. */
  @IsString() code!: string;
  @IsString() reason!: string;
}

/**
 * Money taken for an order that is not going ahead was given back: a paid order was cancelled, or
 * a charge found by reconciliation after its payment had failed (it may follow payment-failed).
 */
export class PaymentRefundedPayload {
  @IsUUID() paymentId!: string;
  @IsUUID() orderId!: string;
  @IsUUID() customerId!: string;
  @IsInt() @Min(0) amount!: number;
  @IsISO4217CurrencyCode() currency!: string;
}
