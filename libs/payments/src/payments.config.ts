import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsNumber, Max, Min } from 'class-validator';
import { BooleanVariable, defineConfigSection, IntegerVariable, toNumber } from '#lib/config';

/** A share between 0 and 1, such as 0.25 for one call in four. */
const RateVariable = (): PropertyDecorator =>
  applyDecorators(
    Transform(toNumber),
    IsNumber({ allowNaN: false, allowInfinity: false }),
    Min(0),
    Max(1),
  );

class PaymentsVariables {
  @RateVariable()
  PAYMENT_PROVIDER_DECLINE_RATE = 0;

  @RateVariable()
  PAYMENT_PROVIDER_OUTAGE_RATE = 0;

  @RateVariable()
  PAYMENT_PROVIDER_TIMEOUT_RATE = 0;

  @IntegerVariable({ min: 0 })
  PAYMENT_PROVIDER_LATENCY_MS = 20;

  @IntegerVariable({ min: 0 })
  PAYMENT_PROVIDER_OUTAGE_FIRST_CALLS = 0;

  @IntegerVariable({ min: 10 })
  PAYMENT_PROVIDER_TIMEOUT_MS = 2_000;

  @IntegerVariable({ min: 1 })
  PAYMENT_PROVIDER_MAX_ATTEMPTS = 3;

  @IntegerVariable({ min: 1 })
  PAYMENT_PROVIDER_RETRY_BASE_MS = 100;

  @IntegerVariable({ min: 1 })
  PAYMENT_BREAKER_VOLUME_THRESHOLD = 5;

  @IntegerVariable({ min: 100 })
  PAYMENT_BREAKER_RESET_MS = 10_000;

  @IntegerVariable({ min: 1, max: 100 })
  PAYMENT_BREAKER_ERROR_THRESHOLD_PERCENT = 50;

  @IntegerVariable({ min: 10 })
  PAYMENT_WORKER_POLL_INTERVAL_MS = 500;

  @IntegerVariable({ min: 10 })
  PAYMENT_RETRY_BASE_MS = 1_000;

  @IntegerVariable({ min: 10 })
  PAYMENT_RETRY_MAX_MS = 60_000;

  @IntegerVariable({ min: 1000 })
  PAYMENT_CHARGE_DEADLINE_MS = 900_000;

  @BooleanVariable()
  PAYMENT_WORKER_ENABLED = true;
}

/** The payments context's settings from the environment (PAYMENT_*); inject it by this class. */
export abstract class PaymentsConfig {
  abstract readonly provider: {
    readonly latencyMs: number;
    readonly declineRate: number;
    readonly outageRate: number;
    readonly timeoutRate: number;
    readonly outageFirstCalls: number;
  };
  abstract readonly providerCall: {
    readonly timeoutMs: number;
    readonly maxAttempts: number;
    readonly retryBaseMs: number;
  };
  abstract readonly breaker: {
    readonly errorThresholdPercentage: number;
    readonly volumeThreshold: number;
    readonly resetTimeoutMs: number;
  };
  abstract readonly worker: {
    readonly enabled: boolean;
    readonly pollIntervalMs: number;
    readonly retryBaseMs: number;
    readonly retryMaxMs: number;
    readonly chargeDeadlineMs: number;
  };
}

/** Validated only in an app that runs the payments context (`PaymentsModule.forRootFromEnv()`). */
export const paymentsConfig = defineConfigSection({
  name: 'payments',
  variables: PaymentsVariables,
  settings: PaymentsConfig,
  build: (variables): PaymentsConfig => ({
    provider: {
      latencyMs: variables.PAYMENT_PROVIDER_LATENCY_MS,
      declineRate: variables.PAYMENT_PROVIDER_DECLINE_RATE,
      outageRate: variables.PAYMENT_PROVIDER_OUTAGE_RATE,
      timeoutRate: variables.PAYMENT_PROVIDER_TIMEOUT_RATE,
      outageFirstCalls: variables.PAYMENT_PROVIDER_OUTAGE_FIRST_CALLS,
    },
    providerCall: {
      timeoutMs: variables.PAYMENT_PROVIDER_TIMEOUT_MS,
      maxAttempts: variables.PAYMENT_PROVIDER_MAX_ATTEMPTS,
      retryBaseMs: variables.PAYMENT_PROVIDER_RETRY_BASE_MS,
    },
    breaker: {
      errorThresholdPercentage: variables.PAYMENT_BREAKER_ERROR_THRESHOLD_PERCENT,
      volumeThreshold: variables.PAYMENT_BREAKER_VOLUME_THRESHOLD,
      resetTimeoutMs: variables.PAYMENT_BREAKER_RESET_MS,
    },
    worker: {
      enabled: variables.PAYMENT_WORKER_ENABLED,
      pollIntervalMs: variables.PAYMENT_WORKER_POLL_INTERVAL_MS,
      retryBaseMs: variables.PAYMENT_RETRY_BASE_MS,
      retryMaxMs: variables.PAYMENT_RETRY_MAX_MS,
      chargeDeadlineMs: variables.PAYMENT_CHARGE_DEADLINE_MS,
    },
  }),
});
