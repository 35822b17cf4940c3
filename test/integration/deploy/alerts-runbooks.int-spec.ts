import { existsSync } from 'node:fs';
import { parse } from 'yaml';
// The files themselves: the libraries' indexes also load Nest modules that Jest cannot import.
import { HTTP_REQUEST_DURATION_METRIC } from '../../../libs/observability/src/http-metrics.js';
import {
  CIRCUIT_BREAKER_STATE_METRIC,
  CIRCUIT_STATE_VALUES,
} from '../../../libs/resilience/src/circuit-breaker.metrics.js';
import { readRepoFile, repoPath } from './support/repository.js';

// Alerts as code (docker/prometheus/alerts.yml, unit-tested by promtool in
// prometheus-grafana.int-spec.ts): every alert an operator can receive links a runbook, and the
// alerts the platform needs exist on the metrics the code and the broker export.

interface AlertRule {
  alert: string;
  expr: string;
  annotations?: Record<string, string>;
}

const alerts = (
  parse(readRepoFile('docker/prometheus/alerts.yml')) as { groups: { rules: AlertRule[] }[] }
).groups.flatMap((group) => group.rules);
const expressionOf = (name: string): string => {
  const rule = alerts.find((candidate) => candidate.alert === name);
  if (!rule) throw new Error(`alerts.yml has no alert ${name}`);
  return rule.expr;
};

describe('alerts and their runbooks', () => {
  it.each(alerts.map((rule) => [rule.alert, rule] as const))(
    '%s links a runbook page that is about it and listed in the index',
    (name, rule) => {
      const runbook = rule.annotations?.runbook_url ?? '';
      expect(runbook).toMatch(/^docs\/runbooks\/[a-z0-9-]+\.md$/);
      expect(existsSync(repoPath(runbook))).toBe(true);
      const page = readRepoFile(runbook);
      expect(page).toMatch(/^# [A-Za-z0-9]+\n/);
      expect(page).toContain(name);
      for (const section of ['## What it means', '## How to look', '## How to fix']) {
        expect({ runbook, section, present: page.includes(section) }).toEqual({
          runbook,
          section,
          present: true,
        });
      }
      const pageName = runbook.slice('docs/runbooks/'.length);
      expect(readRepoFile('docs/runbooks/README.md')).toContain(`| \`${name}\``);
      expect(readRepoFile('docs/runbooks/README.md')).toContain(`(${pageName})`);
    },
  );

  it('covers errors, p99 latency, readiness, breakers, dead letters, outbox age, queue depth and failed jobs', () => {
    expect(expressionOf('HighHttpErrorRatio')).toContain(`${HTTP_REQUEST_DURATION_METRIC}_count`);
    expect(expressionOf('HighHttpLatencyP99')).toMatch(
      new RegExp(`histogram_quantile\\(0\\.99,[\\s\\S]*${HTTP_REQUEST_DURATION_METRIC}_bucket`),
    );
    expect(expressionOf('ReadinessFailing')).toContain('route="/health/ready", status_code="503"');
    expect(expressionOf('CircuitBreakerOpen')).toBe(
      `max by (job, breaker) (${CIRCUIT_BREAKER_STATE_METRIC}) == ${CIRCUIT_STATE_VALUES.open}`,
    );
    expect(expressionOf('DeadLettersStored')).toContain('dead_letter_messages_total');
    expect(expressionOf('OutboxEventsDelayed')).toContain('outbox_oldest_pending_age_seconds');
    expect(expressionOf('RabbitMqQueueBacklog')).toContain('rabbitmq_queue_messages_ready');
    expect(expressionOf('NotificationJobsBacklog')).toContain(
      'notification_queue_jobs{state="waiting"}',
    );
    expect(expressionOf('NotificationJobsFailing')).toContain(
      'notification_queue_jobs{state="failed"}',
    );
    // The gauge's name and states as libs/notifications registers them.
    const queueMetrics = readRepoFile(
      'libs/notifications/src/clients/notification-queue.metrics.ts',
    );
    expect(queueMetrics).toContain("NOTIFICATION_QUEUE_JOBS_METRIC = 'notification_queue_jobs'");
    expect(queueMetrics).toMatch(/JOB_STATES = \[[^\]]*'waiting'[^\]]*'failed'/);
  });

  it("scrapes RabbitMQ's per-queue metrics, where the queue depth alert reads them", () => {
    const config = parse(readRepoFile('docker/prometheus/prometheus.yml')) as {
      scrape_configs: {
        job_name: string;
        metrics_path?: string;
        static_configs?: { targets: string[] }[];
      }[];
    };
    const rabbitmq = config.scrape_configs.find((job) => job.job_name === 'rabbitmq');
    expect(rabbitmq?.metrics_path).toBe('/metrics/per-object');
    expect(rabbitmq?.static_configs?.flatMap((group) => group.targets)).toEqual(['rabbitmq:15692']);
    // The broker image with the management plugin also runs the prometheus plugin.
    expect(readRepoFile('docker/compose.yml')).toContain('image: rabbitmq:3-management-alpine');
  });
});
