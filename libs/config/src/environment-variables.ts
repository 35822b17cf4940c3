import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsNumber,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { type TrustProxy, parseTrustProxy } from './trust-proxy.js';

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  if (['true', '1', 'yes'].includes(value.toLowerCase())) return true;
  if (['false', '0', 'no'].includes(value.toLowerCase())) return false;
  return value;
};

const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

const toNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;

const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  value === '' ? undefined : value;

const POSTGRES_URL = /^postgres(ql)?:\/\/[^\s/]+(:\d+)?\/[^\s/?]+(\?\S*)?$/;
const REDIS_URL = /^rediss?:\/\/\S+$/;

/**
 * Every setting the platform reads from the environment, with its rule. The names here are the
 * names of the variables, so a failed rule names the variable to fix. `.env.example` documents each.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsString()
  @Matches(/^[a-z][a-z0-9-]*$/, {
    message: 'SERVICE_NAME must be lower-case letters, digits and dashes',
  })
  SERVICE_NAME = 'commerce-monolith';

  @IsString()
  HTTP_HOST = '0.0.0.0';

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT = 3000;

  @Transform(toInteger)
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  HTTP_BODY_LIMIT_BYTES = 100 * 1024;

  @IsString()
  HTTP_CORS_ORIGINS = '';

  // Parsed here so a bad value is reported with the others; an unparseable value stays a string.
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (parseTrustProxy(value) ?? value) : value,
  )
  @ValidateBy({
    name: 'isTrustProxy',
    validator: {
      validate: (value: unknown) => typeof value !== 'string',
      defaultMessage: () =>
        'HTTP_TRUST_PROXY must be false, a hop count (e.g. 1) or a comma-separated list of addresses/CIDR ranges',
    },
  })
  HTTP_TRUST_PROXY: TrustProxy = false;

  @Matches(POSTGRES_URL, {
    message: 'DATABASE_URL must be a postgres:// URL such as postgres://user@host:5432/dbname',
  })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/commerce';

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_MAX = 10;

  @Transform(toInteger)
  @IsInt()
  @Min(100)
  DATABASE_CONNECT_TIMEOUT_MS = 3000;

  @Transform(toInteger)
  @IsInt()
  @Min(100)
  DATABASE_STATEMENT_TIMEOUT_MS = 10_000;

  @Transform(toBoolean)
  @IsBoolean()
  DATABASE_RUN_MIGRATIONS = true;

  @Matches(REDIS_URL, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379/0';

  /** `in-process` runs every context in this process (monolith); `rmq` talks over RabbitMQ (split). */
  @IsIn(['in-process', 'rmq'])
  MESSAGING_TRANSPORT: 'in-process' | 'rmq' = 'in-process';

  @Matches(/^amqps?:\/\/[^\s]+$/, { message: 'RABBITMQ_URL must be an amqp:// or amqps:// URL' })
  RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';

  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, {
    message: 'MESSAGING_RMQ_EXCHANGE must be letters, digits, dots, dashes or underscores',
  })
  MESSAGING_RMQ_EXCHANGE = 'commerce';

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(10_000)
  MESSAGING_RMQ_PREFETCH = 32;

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  MESSAGING_INLINE_RETRY_MAX_MS = 1_000;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1_000)
  MESSAGING_HANDLER_CONCURRENCY = 16;

  @Transform(toInteger)
  @IsInt()
  @Min(10)
  MESSAGING_RETRY_POLL_INTERVAL_MS = 1_000;

  @Transform(toInteger)
  @IsInt()
  @Min(10)
  MESSAGING_RPC_TIMEOUT_MS = 5_000;

  @Transform(toBoolean)
  @IsBoolean()
  MESSAGING_OUTBOX_RELAY_ENABLED = true;

  @Transform(toInteger)
  @IsInt()
  @Min(10)
  MESSAGING_OUTBOX_POLL_INTERVAL_MS = 1_000;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1000)
  MESSAGING_OUTBOX_BATCH_SIZE = 50;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1000)
  MESSAGING_OUTBOX_PUBLISH_CONCURRENCY = 16;

  @Transform(toInteger)
  @IsInt()
  @Min(10)
  MESSAGING_OUTBOX_PUBLISH_TIMEOUT_MS = 30_000;

  @Transform(toInteger)
  @IsInt()
  @Min(100)
  MESSAGING_OUTBOX_LEASE_MS = 60_000;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  CATALOG_CACHE_TTL_SECONDS = 60;

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  CATALOG_HTTP_MAX_AGE_SECONDS = 30;

  @Transform(toInteger)
  @IsInt()
  @Min(60)
  ORDERS_IDEMPOTENCY_KEY_TTL_SECONDS = 86_400;

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  ORDERS_IDEMPOTENCY_WAIT_MS = 5_000;

  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  ORDERS_IDEMPOTENCY_LEASE_MS = 60_000;

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  ORDERS_IDEMPOTENCY_SWEEP_INTERVAL_MS = 60_000;

  @Transform(toInteger)
  @IsInt()
  @Min(10)
  ORDERS_CATALOG_RPC_TIMEOUT_MS = 3_000;

  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  PAYMENT_PROVIDER_DECLINE_RATE = 0;

  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  PAYMENT_PROVIDER_OUTAGE_RATE = 0;

  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  PAYMENT_PROVIDER_TIMEOUT_RATE = 0;

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  PAYMENT_PROVIDER_LATENCY_MS = 20;

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  PAYMENT_PROVIDER_OUTAGE_FIRST_CALLS = 0;

  @Transform(toInteger)
  @IsInt()
  @Min(10)
  PAYMENT_PROVIDER_TIMEOUT_MS = 2_000;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  PAYMENT_PROVIDER_MAX_ATTEMPTS = 3;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  PAYMENT_PROVIDER_RETRY_BASE_MS = 100;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  PAYMENT_BREAKER_VOLUME_THRESHOLD = 5;

  @Transform(toInteger)
  @IsInt()
  @Min(100)
  PAYMENT_BREAKER_RESET_MS = 10_000;

  @Transform(toInteger)
  @IsInt()
  @Min(10)
  PAYMENT_WORKER_POLL_INTERVAL_MS = 500;

  @Transform(toInteger)
  @IsInt()
  @Min(10)
  PAYMENT_RETRY_BASE_MS = 1_000;

  @Transform(toInteger)
  @IsInt()
  @Min(10)
  PAYMENT_RETRY_MAX_MS = 60_000;

  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  PAYMENT_CHARGE_DEADLINE_MS = 900_000;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(100)
  PAYMENT_BREAKER_ERROR_THRESHOLD_PERCENT = 50;

  @Transform(toBoolean)
  @IsBoolean()
  PAYMENT_WORKER_ENABLED = true;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  NOTIFICATIONS_JOB_ATTEMPTS = 5;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  NOTIFICATIONS_JOB_BACKOFF_MS = 1_000;

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  NOTIFICATIONS_KEEP_COMPLETED_JOBS = 1_000;

  @Transform(toInteger)
  @IsInt()
  @Min(10)
  NOTIFICATIONS_ENQUEUE_TIMEOUT_MS = 2_000;

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  MESSAGING_RETENTION_INTERVAL_MS = 600_000;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  MESSAGING_OUTBOX_RETENTION_DAYS = 7;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  MESSAGING_PROCESSED_RETENTION_DAYS = 30;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  HEALTH_OUTBOX_MAX_AGE_SECONDS = 300;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toBoolean)
  @IsBoolean()
  LOG_PRETTY = false;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  @IsString()
  @MinLength(1)
  JWT_ISSUER = 'http://localhost:3000';

  @IsString()
  @MinLength(1)
  JWT_AUDIENCE = 'commerce-api';

  @Transform(toInteger)
  @IsInt()
  @Min(30)
  @Max(24 * 3600)
  JWT_ACCESS_TOKEN_TTL_SECONDS = 900;

  @Transform(toInteger)
  @IsInt()
  @Min(60)
  REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/-----BEGIN PRIVATE KEY-----/, {
    message: 'JWT_PRIVATE_KEY must be a PKCS#8 PEM private key',
  })
  JWT_PRIVATE_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/-----BEGIN PUBLIC KEY-----/, {
    message: 'JWT_PUBLIC_KEY must be an SPKI PEM public key',
  })
  JWT_PUBLIC_KEY?: string;

  @IsString()
  JWT_DEV_KEY_DIR = '.keys';

  /** Public keys retired by a rotation, as PEM blocks one after another (see .env.example). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/-----BEGIN PUBLIC KEY-----/, {
    message: 'JWT_PREVIOUS_PUBLIC_KEYS must hold one or more SPKI PEM public keys',
  })
  JWT_PREVIOUS_PUBLIC_KEYS?: string;

  /** Identity's key set; when set, access tokens are verified against it instead of JWT_PUBLIC_KEY. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    {
      message:
        'JWT_JWKS_URL must be an http(s) URL such as http://identity:3000/.well-known/jwks.json',
    },
  )
  JWT_JWKS_URL?: string;

  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  JWT_JWKS_CACHE_MAX_AGE_MS = 300_000;

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  JWT_JWKS_COOLDOWN_MS = 10_000;

  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(60_000)
  JWT_JWKS_TIMEOUT_MS = 2_000;

  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  THROTTLE_TTL_MS = 60_000;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  THROTTLE_LIMIT = 300;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  LOGIN_THROTTLE_LIMIT_PER_ACCOUNT = 5;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  LOGIN_THROTTLE_LIMIT_PER_IP = 20;

  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  LOGIN_THROTTLE_WINDOW_MS = 15 * 60_000;

  /** The first login delay; each further failure doubles it, up to LOGIN_THROTTLE_MAX_DELAY_MS. */
  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  LOGIN_THROTTLE_BASE_DELAY_MS = 1000;

  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  LOGIN_THROTTLE_MAX_DELAY_MS = 15 * 60_000;

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  SHUTDOWN_READINESS_DELAY_MS = 0;

  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  SHUTDOWN_GRACE_MS = 25_000;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsEmail()
  ADMIN_EMAIL?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.ADMIN_EMAIL !== undefined)
  @IsString({ message: 'ADMIN_PASSWORD is required when ADMIN_EMAIL is set' })
  @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters' })
  ADMIN_PASSWORD?: string;
}
