/** The part of the configuration the payment use cases need (built from the module's options). */
export class PaymentSettings {
  constructor(
    /** First delay before a charge or refund is tried again; doubles per attempt, with jitter. */
    readonly retryBaseMs: number,
    /** Upper bound of that delay. */
    readonly retryMaxMs: number,
    /** How long after the order was placed a charge is still attempted before it fails. */
    readonly chargeDeadlineMs: number,
    /** How long a claimed attempt keeps other workers off the payment; longer than any call. */
    readonly leaseMs: number,
    /** Payments claimed per pass of a worker. */
    readonly batchSize: number,
  ) {}
}
