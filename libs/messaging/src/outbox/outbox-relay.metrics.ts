import { Counter, Histogram, type Registry } from 'prom-client';

export const OUTBOX_PUBLISHED_METRIC = 'outbox_messages_published_total';
export const OUTBOX_PUBLISH_FAILURES_METRIC = 'outbox_publish_failures_total';
export const OUTBOX_PUBLISH_DURATION_METRIC = 'outbox_publish_duration_seconds';
export const OUTBOX_CLAIMS_METRIC = 'outbox_claims_total';

export type PublishOutcome = 'published' | 'failed';

/** Whether a claim found due rows: many `none` mean the relay is woken for nothing. */
export type ClaimResult = 'rows' | 'none';

/**
 * The relay's throughput, its failed publishes and how long publishes take. They count publishes,
 * not distinct messages: delivery is at least once, so a message published again after a crash
 * counts again. A steady failure rate with a growing `outbox_messages_pending` means the transport
 * refuses the events; slow publishes (in monolith mode: slow consumers) show in the histogram.
 * Claims are counted per outbox (context) and by whether they found rows: each is a statement on
 * the database.
 */
export class OutboxRelayMetrics {
  private readonly published: Counter;
  private readonly failures: Counter;
  private readonly duration: Histogram<'outcome'>;
  private readonly claims: Counter<'context' | 'result'>;

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
    // A second app in this process (tests) adds to the same series rather than failing to register.
    this.duration =
      (registry.getSingleMetric(OUTBOX_PUBLISH_DURATION_METRIC) as
        Histogram<'outcome'> | undefined) ??
      new Histogram({
        name: OUTBOX_PUBLISH_DURATION_METRIC,
        help: 'Time from handing an outbox message to the transport until it confirmed or failed',
        labelNames: ['outcome'],
        buckets: [0.005, 0.025, 0.1, 0.5, 1, 5, 15, 30, 60],
        registers: [registry],
      });
    this.claims =
      (registry.getSingleMetric(OUTBOX_CLAIMS_METRIC) as
        Counter<'context' | 'result'> | undefined) ??
      new Counter({
        name: OUTBOX_CLAIMS_METRIC,
        help: 'Claims the outbox relay ran, per outbox, by whether they found due rows',
        labelNames: ['context', 'result'],
        registers: [registry],
      });
  }

  recordClaim(context: string, rows: number): void {
    this.claims.inc({ context, result: rows > 0 ? 'rows' : 'none' });
  }

  recordPublished(count: number): void {
    if (count > 0) this.published.inc(count);
  }

  recordFailures(count: number): void {
    if (count > 0) this.failures.inc(count);
  }

  recordPublishDuration(outcome: PublishOutcome, seconds: number): void {
    this.duration.observe({ outcome }, seconds);
  }
}

function counter(registry: Registry, name: string, help: string): Counter {
  const existing = registry.getSingleMetric(name) as Counter | undefined;
  return existing ?? new Counter({ name, help, registers: [registry] });
}
