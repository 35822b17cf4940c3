/** Tunables of the orders context, with the defaults an app gets when it passes nothing. */
export interface OrdersModuleOptions {
  /** How long a key replays its first response (ORDERS_IDEMPOTENCY_KEY_TTL_SECONDS, 24 h). */
  readonly idempotencyKeyTtlSeconds?: number;
  /**
   * How long a request waits for a concurrent one with the same key to finish before it answers
   * 409 ORDERS.IDEMPOTENCY_KEY_IN_PROGRESS (ORDERS_IDEMPOTENCY_WAIT_MS, 5 s).
   */
  readonly idempotencyWaitMs?: number;
  /**
   * After this long an unfinished claim is taken as abandoned (its process died): its stock is
   * released and the key can be claimed again (ORDERS_IDEMPOTENCY_LEASE_MS, 60 s). It must exceed
   * the longest a placement can take (one catalog call with its retries, then one transaction).
   */
  readonly idempotencyLeaseMs?: number;
  /** Pause between two looks at a concurrent request's key while waiting for it. */
  readonly idempotencyPollIntervalMs?: number;
  /**
   * How often abandoned claims are released and expired keys deleted
   * (ORDERS_IDEMPOTENCY_SWEEP_INTERVAL_MS, 60 s; 0 turns the sweeper off).
   */
  readonly idempotencySweepIntervalMs?: number;
  /** Budget of one catalog RPC attempt (ORDERS_CATALOG_RPC_TIMEOUT_MS, 3 s). */
  readonly catalogRpcTimeoutMs?: number;
  /**
   * How often the stock confirmer looks for orders awaiting stock
   * (ORDERS_STOCK_CONFIRMATION_INTERVAL_MS, 1 s; 0 turns it off).
   */
  readonly stockConfirmationIntervalMs?: number;
  /**
   * The longest pause between two tries of one awaiting order while the catalog stays silent; the
   * pause doubles from 1 s up to it (ORDERS_STOCK_CONFIRMATION_MAX_BACKOFF_MS, 30 s).
   */
  readonly stockConfirmationMaxBackoffMs?: number;
  /**
   * How long a confirmer holds the orders it claimed before another may try them: more than one
   * catalog call with its retries (ORDERS_STOCK_CONFIRMATION_LEASE_MS, 60 s).
   */
  readonly stockConfirmationLeaseMs?: number;
}

/** The resolved settings; also the DI token. */
export class OrdersSettings {
  readonly idempotencyKeyTtlSeconds: number;
  readonly idempotencyWaitMs: number;
  readonly idempotencyLeaseMs: number;
  readonly idempotencyPollIntervalMs: number;
  readonly idempotencySweepIntervalMs: number;
  readonly catalogRpcTimeoutMs: number;
  readonly stockConfirmationIntervalMs: number;
  readonly stockConfirmationMaxBackoffMs: number;
  readonly stockConfirmationLeaseMs: number;

  constructor(options: OrdersModuleOptions = {}) {
    this.idempotencyKeyTtlSeconds = positive(
      'idempotencyKeyTtlSeconds',
      options.idempotencyKeyTtlSeconds ?? 86_400,
    );
    this.idempotencyWaitMs = atLeastZero('idempotencyWaitMs', options.idempotencyWaitMs ?? 5_000);
    this.idempotencyLeaseMs = positive('idempotencyLeaseMs', options.idempotencyLeaseMs ?? 60_000);
    this.idempotencyPollIntervalMs = positive(
      'idempotencyPollIntervalMs',
      options.idempotencyPollIntervalMs ?? 50,
    );
    this.idempotencySweepIntervalMs = atLeastZero(
      'idempotencySweepIntervalMs',
      options.idempotencySweepIntervalMs ?? 60_000,
    );
    this.catalogRpcTimeoutMs = positive(
      'catalogRpcTimeoutMs',
      options.catalogRpcTimeoutMs ?? 3_000,
    );
    this.stockConfirmationIntervalMs = atLeastZero(
      'stockConfirmationIntervalMs',
      options.stockConfirmationIntervalMs ?? 1_000,
    );
    this.stockConfirmationMaxBackoffMs = positive(
      'stockConfirmationMaxBackoffMs',
      options.stockConfirmationMaxBackoffMs ?? 30_000,
    );
    this.stockConfirmationLeaseMs = positive(
      'stockConfirmationLeaseMs',
      options.stockConfirmationLeaseMs ?? 60_000,
    );
  }
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`orders ${name} must be > 0`);
  return value;
}

function atLeastZero(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`orders ${name} must be >= 0`);
  return value;
}
