import type { ResiliencePolicy } from '#lib/resilience';
import {
  type ChargeLookupResult,
  type ChargeRequest,
  type ChargeResult,
  PaymentProvider,
  type ProviderCallOptions,
  type RefundRequest,
  type RefundResult,
} from '../services/ports/payment-provider.port.js';

/**
 * The payment provider as use cases see it: every call goes through the provider's resilience
 * policy (a deadline per attempt, retries with jittered backoff for transient failures only, and
 * the "payment-provider" circuit breaker). Declines are answers and pass straight through; when
 * the breaker is open, calls fail at once with CircuitOpenError and the payment is retried later.
 * Lookups (reconciliation) go through the same policy and breaker: they reach the same provider.
 */
export class ResilientPaymentProvider extends PaymentProvider {
  constructor(
    private readonly provider: PaymentProvider,
    private readonly policy: ResiliencePolicy,
  ) {
    super();
  }

  charge(request: ChargeRequest, options: ProviderCallOptions = {}): Promise<ChargeResult> {
    return this.policy.execute((signal) => this.provider.charge(request, { signal }), options);
  }

  refund(request: RefundRequest, options: ProviderCallOptions = {}): Promise<RefundResult> {
    return this.policy.execute((signal) => this.provider.refund(request, { signal }), options);
  }

  lookUpCharge(
    idempotencyKey: string,
    options: ProviderCallOptions = {},
  ): Promise<ChargeLookupResult> {
    return this.policy.execute(
      (signal) => this.provider.lookUpCharge(idempotencyKey, { signal }),
      options,
    );
  }
}
