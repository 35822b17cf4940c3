import { IsIn, Matches } from 'class-validator';
import { defineConfigSection } from '../config-section.js';
import { IntegerVariable, BooleanVariable } from '../environment-variable.decorators.js';

class MessagingVariables {
  /** `in-process` runs every context in this process (monolith); `rmq` talks over RabbitMQ (split). */
  @IsIn(['in-process', 'rmq'])
  MESSAGING_TRANSPORT: 'in-process' | 'rmq' = 'in-process';

  @Matches(/^amqps?:\/\/[^\s]+$/, { message: 'RABBITMQ_URL must be an amqp:// or amqps:// URL' })
  RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';

  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, {
    message: 'MESSAGING_RMQ_EXCHANGE must be letters, digits, dots, dashes or underscores',
  })
  MESSAGING_RMQ_EXCHANGE = 'commerce';

  @IntegerVariable({ min: 1, max: 10_000 })
  MESSAGING_RMQ_PREFETCH = 32;

  @IntegerVariable({ min: 0 })
  MESSAGING_INLINE_RETRY_MAX_MS = 1_000;

  @IntegerVariable({ min: 1, max: 1_000 })
  MESSAGING_HANDLER_CONCURRENCY = 16;

  @IntegerVariable({ min: 10 })
  MESSAGING_RETRY_POLL_INTERVAL_MS = 1_000;

  @IntegerVariable({ min: 10 })
  MESSAGING_RPC_TIMEOUT_MS = 5_000;

  @BooleanVariable()
  MESSAGING_OUTBOX_RELAY_ENABLED = true;

  @IntegerVariable({ min: 10 })
  MESSAGING_OUTBOX_POLL_INTERVAL_MS = 1_000;

  @IntegerVariable({ min: 1, max: 1000 })
  MESSAGING_OUTBOX_BATCH_SIZE = 50;

  @IntegerVariable({ min: 1, max: 1000 })
  MESSAGING_OUTBOX_PUBLISH_CONCURRENCY = 16;

  @IntegerVariable({ min: 10 })
  MESSAGING_OUTBOX_PUBLISH_TIMEOUT_MS = 30_000;

  @IntegerVariable({ min: 100 })
  MESSAGING_OUTBOX_LEASE_MS = 60_000;

  @IntegerVariable({ min: 0 })
  MESSAGING_RETENTION_INTERVAL_MS = 600_000;

  @IntegerVariable({ min: 1 })
  MESSAGING_OUTBOX_RETENTION_DAYS = 7;

  @IntegerVariable({ min: 1 })
  MESSAGING_PROCESSED_RETENTION_DAYS = 30;

  @IntegerVariable({ min: 1 })
  HEALTH_OUTBOX_MAX_AGE_SECONDS = 300;
}

/** The message transport, the outbox relay and the retention of messaging tables. */
export abstract class MessagingConfig {
  /** `in-process` in monolith mode, `rmq` in split mode. */
  abstract readonly transport: 'in-process' | 'rmq';
  abstract readonly rmq: {
    readonly url: string;
    readonly exchange: string;
    readonly prefetch: number;
  };
  abstract readonly rpcTimeoutMs: number;
  abstract readonly inlineRetryMaxMs: number;
  abstract readonly handlerConcurrency: number;
  abstract readonly retryPollIntervalMs: number;
  abstract readonly relay: {
    readonly enabled: boolean;
    readonly pollIntervalMs: number;
    readonly batchSize: number;
    readonly publishConcurrency: number;
    readonly publishTimeoutMs: number;
    readonly leaseMs: number;
  };
  abstract readonly retention: {
    readonly intervalMs: number;
    readonly outboxRetentionDays: number;
    readonly processedRetentionDays: number;
  };
  /** `/health/backlog` is down once the oldest unpublished event is older than this. */
  abstract readonly outboxMaxAgeSeconds: number;
}

function crossRules(variables: MessagingVariables): string[] {
  const problems: string[] = [];
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
  return problems;
}

export const messagingConfig = defineConfigSection({
  name: 'messaging',
  variables: MessagingVariables,
  settings: MessagingConfig,
  secrets: ['RABBITMQ_URL'],
  check: crossRules,
  build: (variables): MessagingConfig => ({
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
  }),
});
