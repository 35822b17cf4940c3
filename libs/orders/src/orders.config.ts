import { defineConfigSection, IntegerVariable } from '#lib/config';

class OrdersVariables {
  @IntegerVariable({ min: 60 })
  ORDERS_IDEMPOTENCY_KEY_TTL_SECONDS = 86_400;

  @IntegerVariable({ min: 0 })
  ORDERS_IDEMPOTENCY_WAIT_MS = 5_000;

  @IntegerVariable({ min: 1000 })
  ORDERS_IDEMPOTENCY_LEASE_MS = 60_000;

  @IntegerVariable({ min: 0 })
  ORDERS_IDEMPOTENCY_SWEEP_INTERVAL_MS = 60_000;

  @IntegerVariable({ min: 10 })
  ORDERS_CATALOG_RPC_TIMEOUT_MS = 3_000;

  @IntegerVariable({ min: 0 })
  ORDERS_STOCK_CONFIRMATION_INTERVAL_MS = 1_000;

  @IntegerVariable({ min: 1000 })
  ORDERS_STOCK_CONFIRMATION_MAX_BACKOFF_MS = 30_000;

  @IntegerVariable({ min: 1000 })
  ORDERS_STOCK_CONFIRMATION_LEASE_MS = 60_000;
}

/** The orders context's settings from the environment (ORDERS_*); inject it by this class. */
export abstract class OrdersConfig {
  abstract readonly idempotencyKeyTtlSeconds: number;
  abstract readonly idempotencyWaitMs: number;
  abstract readonly idempotencyLeaseMs: number;
  abstract readonly idempotencySweepIntervalMs: number;
  abstract readonly catalogRpcTimeoutMs: number;
  abstract readonly stockConfirmationIntervalMs: number;
  abstract readonly stockConfirmationMaxBackoffMs: number;
  abstract readonly stockConfirmationLeaseMs: number;
}

/** Validated only in an app that runs the orders context (`OrdersModule.forRootFromEnv()`). */
export const ordersConfig = defineConfigSection({
  name: 'orders',
  variables: OrdersVariables,
  settings: OrdersConfig,
  build: (variables): OrdersConfig => ({
    idempotencyKeyTtlSeconds: variables.ORDERS_IDEMPOTENCY_KEY_TTL_SECONDS,
    idempotencyWaitMs: variables.ORDERS_IDEMPOTENCY_WAIT_MS,
    idempotencyLeaseMs: variables.ORDERS_IDEMPOTENCY_LEASE_MS,
    idempotencySweepIntervalMs: variables.ORDERS_IDEMPOTENCY_SWEEP_INTERVAL_MS,
    catalogRpcTimeoutMs: variables.ORDERS_CATALOG_RPC_TIMEOUT_MS,
    stockConfirmationIntervalMs: variables.ORDERS_STOCK_CONFIRMATION_INTERVAL_MS,
    stockConfirmationMaxBackoffMs: variables.ORDERS_STOCK_CONFIRMATION_MAX_BACKOFF_MS,
    stockConfirmationLeaseMs: variables.ORDERS_STOCK_CONFIRMATION_LEASE_MS,
  }),
});
