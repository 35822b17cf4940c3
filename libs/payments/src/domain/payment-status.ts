/**
 * Where a payment stands. `pending` and `refund_pending` have work due at `nextAttemptAt` (a charge,
 * a refund); the others are final, except that a late charge on a closed payment is refunded. A
 * `failed` or `cancelled` payment whose charge was given up without an answer keeps a
 * `nextAttemptAt`: its charge is looked up at the provider (reconciled) and refunded if it exists.
 *
 *   pending ──charged──▶ succeeded ──order cancelled──▶ refund_pending ──refunded──▶ refunded
 *      │ └──declined / gave up──▶ failed ──(gave up) charge found──▶ refund_pending
 *      └──order cancelled before any attempt──▶ cancelled
 */
export const PAYMENT_STATUSES = [
  'pending',
  'succeeded',
  'failed',
  'cancelled',
  'refund_pending',
  'refunded',
] as const;

export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const isPaymentStatus = (value: string): value is PaymentStatus =>
  (PAYMENT_STATUSES as readonly string[]).includes(value);
