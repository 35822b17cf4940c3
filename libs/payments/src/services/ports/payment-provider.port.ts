/** A request to take an order's amount from the customer. */
export interface ChargeRequest {
  /**
   * The same key for every attempt at one order's charge: the provider answers a repeated key with
   * the first result instead of charging again. That is what makes retries safe.
   */
  readonly idempotencyKey: string;
  /** Our reference for the charge (the order id), as a provider shows it on statements and exports. */
  readonly reference: string;
  readonly customerId: string;
  /** Minor units. */
  readonly amount: number;
  readonly currency: string;
}

/** The provider's final answer to a charge. A decline is an answer, not a failure to answer. */
export type ChargeResult =
  | { readonly status: 'succeeded'; readonly chargeId: string }
  | { readonly status: 'declined'; readonly code: string; readonly reason: string };

/**
 * What the provider knows of a charge, looked up by its idempotency key: the charge's result if
 * the provider processed it, or `not_found` if no charge with that key ever reached it.
 */
export type ChargeLookupResult = ChargeResult | { readonly status: 'not_found' };

export interface RefundRequest {
  /** As for charges: a repeated key returns the first refund, never a second one. */
  readonly idempotencyKey: string;
  readonly chargeId: string;
  readonly amount: number;
  readonly currency: string;
}

export interface RefundResult {
  readonly refundId: string;
}

export interface ProviderCallOptions {
  /** Aborted when the attempt times out or the app shuts down; the call should stop its work. */
  readonly signal?: AbortSignal;
}

/**
 * The payment provider (port; it is also the DI token). Adapters throw an error marked
 * `transient: true` (see #lib/resilience) when the provider could not answer and a retry may
 * succeed; any other error is a bug. The module binds the port to the adapter wrapped in the
 * resilience policy, so use cases always call through timeout, retry and circuit breaker.
 */
export abstract class PaymentProvider {
  abstract charge(request: ChargeRequest, options?: ProviderCallOptions): Promise<ChargeResult>;

  abstract refund(request: RefundRequest, options?: ProviderCallOptions): Promise<RefundResult>;

  /**
   * Asks what became of the charge sent with `idempotencyKey`, without charging: how a charge
   * whose answer was lost is found (and then refunded) after we gave up on it.
   */
  abstract lookUpCharge(
    idempotencyKey: string,
    options?: ProviderCallOptions,
  ): Promise<ChargeLookupResult>;
}
