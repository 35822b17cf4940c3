import { Counter, type Registry } from 'prom-client';

export const OUTBOX_PUBLISHED_METRIC = 'outbox_messages_published_total';
export const OUTBOX_PUBLISH_FAILURES_METRIC = 'outbox_publish_failures_total';

/**
 * The relay's throughput and its failed publishes. They count publishes, not distinct messages:
 * delivery is at least once, so a message published again after a crash counts again. A steady
 * failure rate with a growing `outbox_messages_pending` means the transport refuses the events.
 */
export class OutboxRelayMetrics {
  private readonly published: Counter;
  private readonly failures: Counter;

  constructor(registry: Registry) {
    this.published = counter(
      registry,
      OUTBOX_PUBLISHED_METRIC,
      'Outbox messages the relay published',
    );
    this.failures = counter(
      registry,
      OUTBOX_PUBLISH_FAILURES_METRIC,
      'Outbox publishes that failed and were scheduled for a retry',
    );
  }

  recordPublished(count: number): void {
    if (count > 0) this.published.inc(count);
  }

  recordFailures(count: number): void {
    if (count > 0) this.failures.inc(count);
  }
}

function counter(registry: Registry, name: string, help: string): Counter {
  // A second app in this process (tests) adds to the same series rather than failing to register.
  const existing = registry.getSingleMetric(name) as Counter | undefined;
  return existing ?? new Counter({ name, help, registers: [registry] });
}
