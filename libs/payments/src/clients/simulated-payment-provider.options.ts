/**
 * How the simulated provider misbehaves, so that tests and demos can force every failure mode.
 * Rates are probabilities in [0, 1], drawn per call.
 */
export interface SimulatedPaymentProviderOptions {
  /** How long every call takes before the provider answers (PAYMENT_PROVIDER_LATENCY_MS). */
  readonly latencyMs: number;
  /** Share of new charges declined as PAYMENTS.CARD_DECLINED (PAYMENT_PROVIDER_DECLINE_RATE). */
  readonly declineRate: number;
  /** Share of calls refused as an outage, with nothing processed (PAYMENT_PROVIDER_OUTAGE_RATE). */
  readonly outageRate: number;
  /**
   * Share of calls that are processed but never answered, so the caller times out
   * (PAYMENT_PROVIDER_TIMEOUT_RATE): the case idempotency keys exist for.
   */
  readonly timeoutRate: number;
  /**
   * The first N calls after start-up are outages, then the provider recovers
   * (PAYMENT_PROVIDER_OUTAGE_FIRST_CALLS): a deterministic outage for tests and demos.
   */
  readonly outageFirstCalls: number;
}

export const DEFAULT_SIMULATED_PAYMENT_PROVIDER_OPTIONS: SimulatedPaymentProviderOptions = {
  latencyMs: 20,
  declineRate: 0,
  outageRate: 0,
  timeoutRate: 0,
  outageFirstCalls: 0,
};
