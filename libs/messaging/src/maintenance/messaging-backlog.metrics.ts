import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { DatabaseConnection } from '#lib/database';
import { Gauge, type Registry } from 'prom-client';
import type { MessagingBacklog, MessagingBacklogReader } from './messaging-backlog.reader.js';

export const OUTBOX_PENDING_METRIC = 'outbox_messages_pending';
export const OUTBOX_OLDEST_PENDING_AGE_METRIC = 'outbox_oldest_pending_age_seconds';
export const DEAD_LETTERS_METRIC = 'dead_letter_messages_total';
export const DELIVERY_RETRIES_METRIC = 'messaging_delivery_retries_pending';
export const OLDEST_DELIVERY_RETRY_AGE_METRIC = 'messaging_oldest_delivery_retry_age_seconds';

const GAUGES: readonly {
  readonly name: string;
  readonly help: string;
  readonly value: (backlog: MessagingBacklog) => number;
}[] = [
  {
    name: OUTBOX_PENDING_METRIC,
    help: 'Outbox messages not yet published (due or waiting for a retry)',
    value: (backlog) => backlog.pendingOutboxMessages,
  },
  {
    name: OUTBOX_OLDEST_PENDING_AGE_METRIC,
    help: 'Age in seconds of the oldest unpublished outbox message; 0 when none is pending',
    value: (backlog) => backlog.oldestPendingAgeSeconds,
  },
  {
    name: DEAD_LETTERS_METRIC,
    help: 'Messages kept in the dead-letter table, waiting for inspection or replay',
    value: (backlog) => backlog.deadLetters,
  },
  {
    name: DELIVERY_RETRIES_METRIC,
    help: 'Event deliveries that failed and are stored for a later attempt',
    value: (backlog) => backlog.deliveryRetries,
  },
  {
    name: OLDEST_DELIVERY_RETRY_AGE_METRIC,
    help: 'Age in seconds of the oldest stored delivery retry, since its first failure; 0 when none is stored',
    value: (backlog) => backlog.oldestDeliveryRetryAgeSeconds,
  },
];

/**
 * The messaging backlog as gauges, read from Postgres when Prometheus scrapes: never stale, and
 * free between scrapes. One scrape runs one query, shared by all the gauges. When the backlog
 * cannot be read the series are left out rather than reported stale or as 0, so `absent()` alerts
 * fire; the warning is logged once per outage, not once per scrape. An app reports the tables of
 * the contexts it runs, and every replica of it the same ones: aggregate replicas with max, then
 * apps with sum.
 */
export class MessagingBacklogMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MessagingBacklogMetrics.name);
  private inFlight?: Promise<MessagingBacklog | undefined>;
  private unavailable = false;

  constructor(
    private readonly reader: MessagingBacklogReader,
    private readonly registry: Registry,
    private readonly connection?: Pick<DatabaseConnection, 'isReady'>,
  ) {}

  onModuleInit(): void {
    const snapshot = () => this.snapshot();
    for (const { name, help, value } of GAUGES) {
      // Another app in this process (tests) may have registered it, bound to its own database.
      this.registry.removeSingleMetric(name);
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          const backlog = await snapshot();
          // remove, not reset: reset would report a reassuring 0 for an unlabelled gauge.
          if (backlog) this.set(value(backlog));
          else this.remove({});
        },
      });
    }
  }

  onModuleDestroy(): void {
    for (const { name } of GAUGES) this.registry.removeSingleMetric(name);
  }

  /** The gauges of one scrape collect together: they share the query already in flight. */
  private snapshot(): Promise<MessagingBacklog | undefined> {
    this.inFlight ??= this.readBacklog().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async readBacklog(): Promise<MessagingBacklog | undefined> {
    // Not connected yet (or any more): readiness already says so; nothing to add to the logs.
    if (this.connection && !this.connection.isReady) return undefined;
    try {
      const backlog = await this.reader.read();
      if (this.unavailable) {
        this.unavailable = false;
        this.logger.log('messaging backlog metrics are available again');
      }
      return backlog;
    } catch (error) {
      if (!this.unavailable) {
        this.unavailable = true;
        const reason = (error as Error).message;
        this.logger.warn(`messaging backlog metrics left out until they can be read: ${reason}`);
      }
      return undefined;
    }
  }
}
