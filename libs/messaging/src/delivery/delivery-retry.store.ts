/** An event delivery that failed and waits, durably, for its next attempt. */
export interface DeliveryRetry {
  /** The consumer (handler) that failed; only it is retried, never the event's other subscribers. */
  readonly consumer: string;
  /** The pattern the event was published under. */
  readonly type: string;
  /** The event as received (its envelope), to deliver again. */
  readonly envelope: unknown;
  /** Deliveries made so far, the failed ones included. */
  readonly attempts: number;
  readonly lastError: string;
}

export interface ClaimedDeliveryRetry extends DeliveryRetry {
  readonly id: string;
}

/**
 * Where retries wait between attempts (port). Kept in the database rather than in memory or in
 * broker delay queues, so a wait of hours survives restarts and behaves the same on both
 * transports (docs/adr/0016-durable-delivery-retries.md).
 */
export abstract class DeliveryRetryStore {
  /** Records a retry due in `delayMs`. */
  abstract schedule(retry: DeliveryRetry, delayMs: number): Promise<void>;

  /**
   * Takes up to `limit` due retries of these consumers for `leaseMs`: another process skips them
   * until the lease runs out, so a crash mid-attempt only delays the retry.
   */
  abstract claimDue(
    consumers: readonly string[],
    limit: number,
    leaseMs: number,
  ): Promise<ClaimedDeliveryRetry[]>;

  /** Another failed attempt: due again in `delayMs`. */
  abstract reschedule(
    id: string,
    attempts: number,
    delayMs: number,
    lastError: string,
  ): Promise<void>;

  /** Done with it: processed, or dead-lettered. */
  abstract remove(id: string): Promise<void>;
}
