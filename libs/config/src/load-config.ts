import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { AppConfig } from './app-config.js';
import { ConfigValidationError } from './config-validation.error.js';
import { EnvironmentVariables } from './environment-variables.js';
import { resolveJwtKeys } from './jwt-keys.js';

type Environment = Record<string, string | undefined>;

const SECRET_VARIABLES = new Set([
  'JWT_PRIVATE_KEY',
  'ADMIN_PASSWORD',
  'DATABASE_URL',
  'REDIS_URL',
  'RABBITMQ_URL',
]);

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((error) => {
    const messages = Object.values(error.constraints ?? {});
    const shown = SECRET_VARIABLES.has(error.property)
      ? ''
      : ` (got ${JSON.stringify(error.value)})`;
    return messages.map((message) =>
      message.startsWith(error.property)
        ? `${message}${shown}`
        : `${error.property}: ${message}${shown}`,
    );
  });
}

const splitList = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

/**
 * Validates the environment and builds the typed configuration. Throws ConfigValidationError
 * naming every bad variable; the bootstrap turns that into a refusal to start.
 */
export function loadConfig(environment: Environment = process.env): AppConfig {
  const defined = Object.fromEntries(
    Object.entries(environment).filter(([, value]) => value !== undefined),
  );
  const variables = plainToInstance(EnvironmentVariables, defined, { exposeDefaultValues: true });
  const errors = validateSync(variables, { skipMissingProperties: false });
  const problems = describe(errors);
  if (variables.MESSAGING_PROCESSED_RETENTION_DAYS < variables.MESSAGING_OUTBOX_RETENTION_DAYS) {
    // A replayable (still kept) outbox row whose processed id was forgotten would act twice.
    problems.push(
      'MESSAGING_PROCESSED_RETENTION_DAYS must be at least MESSAGING_OUTBOX_RETENTION_DAYS',
    );
  }
  if (variables.MESSAGING_OUTBOX_LEASE_MS <= variables.MESSAGING_OUTBOX_PUBLISH_TIMEOUT_MS) {
    // A lease that ends while its publish still waits lets a second relay publish the row too.
    problems.push(
      'MESSAGING_OUTBOX_LEASE_MS must be longer than MESSAGING_OUTBOX_PUBLISH_TIMEOUT_MS',
    );
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);

  const { keys, previousPublicKeys } = resolveJwtKeys(variables);

  return new AppConfig(
    variables.NODE_ENV,
    variables.SERVICE_NAME,
    {
      host: variables.HTTP_HOST,
      port: variables.HTTP_PORT,
      bodyLimitBytes: variables.HTTP_BODY_LIMIT_BYTES,
      corsOrigins: splitList(variables.HTTP_CORS_ORIGINS),
      trustProxy: variables.HTTP_TRUST_PROXY,
    },
    {
      url: variables.DATABASE_URL,
      poolMax: variables.DATABASE_POOL_MAX,
      connectTimeoutMs: variables.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: variables.DATABASE_STATEMENT_TIMEOUT_MS,
      runMigrations: variables.DATABASE_RUN_MIGRATIONS,
    },
    { url: variables.REDIS_URL },
    {
      transport: variables.MESSAGING_TRANSPORT,
      rmq: {
        url: variables.RABBITMQ_URL,
        exchange: variables.MESSAGING_RMQ_EXCHANGE,
        prefetch: variables.MESSAGING_RMQ_PREFETCH,
      },
      rpcTimeoutMs: variables.MESSAGING_RPC_TIMEOUT_MS,
      inlineRetryMaxMs: variables.MESSAGING_INLINE_RETRY_MAX_MS,
      handlerConcurrency: variables.MESSAGING_HANDLER_CONCURRENCY,
      retryPollIntervalMs: variables.MESSAGING_RETRY_POLL_INTERVAL_MS,
      relay: {
        enabled: variables.MESSAGING_OUTBOX_RELAY_ENABLED,
        pollIntervalMs: variables.MESSAGING_OUTBOX_POLL_INTERVAL_MS,
        batchSize: variables.MESSAGING_OUTBOX_BATCH_SIZE,
        publishConcurrency: variables.MESSAGING_OUTBOX_PUBLISH_CONCURRENCY,
        publishTimeoutMs: variables.MESSAGING_OUTBOX_PUBLISH_TIMEOUT_MS,
        leaseMs: variables.MESSAGING_OUTBOX_LEASE_MS,
      },
      retention: {
        intervalMs: variables.MESSAGING_RETENTION_INTERVAL_MS,
        outboxRetentionDays: variables.MESSAGING_OUTBOX_RETENTION_DAYS,
        processedRetentionDays: variables.MESSAGING_PROCESSED_RETENTION_DAYS,
      },
      outboxMaxAgeSeconds: variables.HEALTH_OUTBOX_MAX_AGE_SECONDS,
    },
    {
      cacheTtlSeconds: variables.CATALOG_CACHE_TTL_SECONDS,
      httpMaxAgeSeconds: variables.CATALOG_HTTP_MAX_AGE_SECONDS,
    },
    {
      idempotencyKeyTtlSeconds: variables.ORDERS_IDEMPOTENCY_KEY_TTL_SECONDS,
      idempotencyWaitMs: variables.ORDERS_IDEMPOTENCY_WAIT_MS,
      idempotencyLeaseMs: variables.ORDERS_IDEMPOTENCY_LEASE_MS,
      idempotencySweepIntervalMs: variables.ORDERS_IDEMPOTENCY_SWEEP_INTERVAL_MS,
      catalogRpcTimeoutMs: variables.ORDERS_CATALOG_RPC_TIMEOUT_MS,
    },
    {
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
    },
    {
      jobAttempts: variables.NOTIFICATIONS_JOB_ATTEMPTS,
      jobBackoffMs: variables.NOTIFICATIONS_JOB_BACKOFF_MS,
      keepCompletedJobs: variables.NOTIFICATIONS_KEEP_COMPLETED_JOBS,
      enqueueTimeoutMs: variables.NOTIFICATIONS_ENQUEUE_TIMEOUT_MS,
    },
    { level: variables.LOG_LEVEL, pretty: variables.LOG_PRETTY },
    { otlpEndpoint: variables.OTEL_EXPORTER_OTLP_ENDPOINT },
    {
      issuer: variables.JWT_ISSUER,
      audience: variables.JWT_AUDIENCE,
      accessTokenTtlSeconds: variables.JWT_ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: variables.REFRESH_TOKEN_TTL_SECONDS,
      keys,
      previousPublicKeys,
      jwks: variables.JWT_JWKS_URL
        ? {
            url: variables.JWT_JWKS_URL,
            cacheMaxAgeMs: variables.JWT_JWKS_CACHE_MAX_AGE_MS,
            cooldownMs: variables.JWT_JWKS_COOLDOWN_MS,
            timeoutMs: variables.JWT_JWKS_TIMEOUT_MS,
          }
        : undefined,
    },
    {
      ttlMs: variables.THROTTLE_TTL_MS,
      limit: variables.THROTTLE_LIMIT,
      loginLimitPerAccount: variables.LOGIN_THROTTLE_LIMIT_PER_ACCOUNT,
      loginLimitPerIp: variables.LOGIN_THROTTLE_LIMIT_PER_IP,
      loginWindowMs: variables.LOGIN_THROTTLE_WINDOW_MS,
      loginBaseDelayMs: variables.LOGIN_THROTTLE_BASE_DELAY_MS,
      loginMaxDelayMs: variables.LOGIN_THROTTLE_MAX_DELAY_MS,
    },
    {
      readinessDelayMs: variables.SHUTDOWN_READINESS_DELAY_MS,
      graceMs: variables.SHUTDOWN_GRACE_MS,
    },
    variables.ADMIN_EMAIL && variables.ADMIN_PASSWORD
      ? { email: variables.ADMIN_EMAIL.toLowerCase(), password: variables.ADMIN_PASSWORD }
      : undefined,
  );
}
