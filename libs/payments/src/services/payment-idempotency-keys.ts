/**
 * Idempotency keys sent to the provider, derived from the order: every attempt at one order's
 * charge, from any replica, after any redelivery or restart, sends the same key, so the provider
 * charges an order at most once (and refunds it at most once).
 */
export const PaymentIdempotencyKeys = {
  charge: (orderId: string): string => `order-${orderId}-charge`,
  refund: (orderId: string): string => `order-${orderId}-refund`,
};
