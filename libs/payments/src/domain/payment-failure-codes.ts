/**
 * Why a payment failed, as published in `payments.v1.payment-failed` (`code`) and shown by the API.
 * Stable: orders and notifications branch on them.
 */
export const PAYMENT_FAILURE_CODES = {
  /** The provider refused the card; retrying cannot change the answer. */
  CARD_DECLINED: 'PAYMENTS.CARD_DECLINED',
  /** The provider stayed unreachable until the charge deadline passed. */
  PROVIDER_UNAVAILABLE: 'PAYMENTS.PROVIDER_UNAVAILABLE',
} as const;
