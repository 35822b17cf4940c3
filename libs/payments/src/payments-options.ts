import {
  DEFAULT_SIMULATED_PAYMENT_PROVIDER_OPTIONS,
  type SimulatedPaymentProviderOptions,
} from './clients/simulated-payment-provider.options.js';

/** How each call to the provider is made (PAYMENT_PROVIDER_*). */
export interface ProviderCallPolicyOptions {
  /** Deadline of one attempt (PAYMENT_PROVIDER_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** Attempts per call, the first included, for transient failures (PAYMENT_PROVIDER_MAX_ATTEMPTS). */
  readonly maxAttempts: number;
  /** Backoff between those attempts (PAYMENT_PROVIDER_RETRY_BASE_MS), capped at `retryMaxMs`. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
}

/** The "payment-provider" circuit breaker (PAYMENT_BREAKER_*). */
export interface PaymentBreakerOptions {
  /** Opens when more than this share (%) of calls in the window failed (..._ERROR_THRESHOLD_PERCENT). */
  readonly errorThresholdPercentage: number;
  /** Calls the window must hold before it may open (..._VOLUME_THRESHOLD). */
  readonly volumeThreshold: number;
  /** How long it stays open before a trial call (..._RESET_MS). */
  readonly resetTimeoutMs: number;
  readonly rollingWindowMs: number;
}

/** The workers that charge and refund due payments (PAYMENT_WORKER_*, PAYMENT_RETRY_*). */
export interface PaymentWorkerOptions {
  /** Off in a process that must not charge (a one-off job); on everywhere else. */
  readonly enabled: boolean;
  /** How often an idle worker looks for due payments (PAYMENT_WORKER_POLL_INTERVAL_MS). */
  readonly pollIntervalMs: number;
  readonly batchSize: number;
  /** Delay before a payment that got no answer is tried again (PAYMENT_RETRY_BASE_MS), doubling. */
  readonly retryBaseMs: number;
  /** Upper bound of that delay (PAYMENT_RETRY_MAX_MS). */
  readonly retryMaxMs: number;
  /** A charge without an answer this long after the order was placed fails (PAYMENT_CHARGE_DEADLINE_MS). */
  readonly chargeDeadlineMs: number;
  /** How long a claim keeps other workers off a payment; by default longer than a whole call. */
  readonly leaseMs: number;
}

export interface PaymentsModuleOptions {
  readonly provider?: Partial<SimulatedPaymentProviderOptions>;
  readonly providerCall?: Partial<ProviderCallPolicyOptions>;
  readonly breaker?: Partial<PaymentBreakerOptions>;
  readonly worker?: Partial<PaymentWorkerOptions>;
}

export interface ResolvedPaymentsOptions {
  readonly provider: SimulatedPaymentProviderOptions;
  readonly providerCall: ProviderCallPolicyOptions;
  readonly breaker: PaymentBreakerOptions;
  readonly worker: PaymentWorkerOptions;
}

/** DI token of the resolved options. */
export const PAYMENTS_OPTIONS = Symbol('PAYMENTS_OPTIONS');

const LEASE_MARGIN_MS = 5_000;

/** Options as given, minus the keys set to undefined (a spread would let them erase defaults). */
function given<T extends object>(options: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(options ?? {}).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

function checkRate(name: string, value: number): void {
  if (!(value >= 0 && value <= 1))
    throw new RangeError(`payments: ${name} must be in [0, 1], got ${value}`);
}

/** Fills in defaults and refuses values that cannot work, naming the option. */
export function resolvePaymentsOptions(
  options: PaymentsModuleOptions = {},
): ResolvedPaymentsOptions {
  const provider = { ...DEFAULT_SIMULATED_PAYMENT_PROVIDER_OPTIONS, ...given(options.provider) };
  checkRate('provider.declineRate', provider.declineRate);
  checkRate('provider.outageRate', provider.outageRate);
  checkRate('provider.timeoutRate', provider.timeoutRate);

  const providerCall: ProviderCallPolicyOptions = {
    timeoutMs: 2_000,
    maxAttempts: 3,
    retryBaseMs: 100,
    retryMaxMs: 1_000,
    ...given(options.providerCall),
  };
  const breaker: PaymentBreakerOptions = {
    errorThresholdPercentage: 50,
    volumeThreshold: 5,
    resetTimeoutMs: 10_000,
    rollingWindowMs: 10_000,
    ...given(options.breaker),
  };
  // A lease shorter than one whole call would let a second worker take a payment mid-call.
  const longestCallMs =
    providerCall.timeoutMs * providerCall.maxAttempts +
    providerCall.retryMaxMs * (providerCall.maxAttempts - 1);
  const worker: PaymentWorkerOptions = {
    enabled: true,
    pollIntervalMs: 500,
    batchSize: 10,
    retryBaseMs: 1_000,
    retryMaxMs: 60_000,
    chargeDeadlineMs: 15 * 60_000,
    leaseMs: longestCallMs + LEASE_MARGIN_MS,
    ...given(options.worker),
  };
  if (worker.leaseMs <= longestCallMs) {
    throw new RangeError(
      `payments: worker.leaseMs (${worker.leaseMs}) must exceed the longest provider call (${longestCallMs} ms)`,
    );
  }
  return { provider, providerCall, breaker, worker };
}
