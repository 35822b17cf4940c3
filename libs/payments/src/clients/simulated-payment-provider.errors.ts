import type { TransientFailure } from '#lib/resilience';

/** The simulated provider is "down": it refused the call before processing anything. Retry later. */
export class SimulatedProviderOutageError extends Error implements TransientFailure {
  readonly code = 'PAYMENT_PROVIDER.UNAVAILABLE';
  readonly transient = true;

  constructor(message = 'the payment provider is unavailable (simulated outage)') {
    super(message);
    this.name = new.target.name;
  }
}

/** The same idempotency key came with a different amount or currency: a bug on our side. */
export class IdempotencyKeyReusedError extends Error {
  readonly code = 'PAYMENT_PROVIDER.IDEMPOTENCY_KEY_REUSED';

  constructor(key: string) {
    super(`idempotency key ${key} was already used for a different charge`);
    this.name = new.target.name;
  }
}

/** A refund named a charge the provider never made (or declined). */
export class UnknownChargeError extends Error {
  readonly code = 'PAYMENT_PROVIDER.UNKNOWN_CHARGE';

  constructor(chargeId: string) {
    super(`no successful charge ${chargeId} to refund`);
    this.name = new.target.name;
  }
}
