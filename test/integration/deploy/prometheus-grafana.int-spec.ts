import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
// The file itself: the library's index also loads Nest modules that Jest cannot import.
import { HTTP_REQUEST_DURATION_METRIC } from '../../../libs/observability/src/http-metrics.js';
import { REVOCATION_CHECKS_SKIPPED_METRIC } from '../../../libs/guards/src/authentication/revocation-check.metrics.js';
import {
  DEAD_LETTERS_METRIC,
  DELIVERY_RETRIES_METRIC,
  OLDEST_DELIVERY_RETRY_AGE_METRIC,
  OUTBOX_OLDEST_PENDING_AGE_METRIC,
  OUTBOX_PENDING_METRIC,
} from '#lib/messaging';
import { readRepoFile, repoPath } from './support/repository.js';
import { PROMTOOL, runTool } from './support/required-tool.js';

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFile {
  groups: { name: string; rules: AlertRule[] }[];
}
interface PrometheusConfig {
  rule_files: string[];
  scrape_configs: {
    job_name: string;
    metrics_path?: string;
    static_configs: { targets: string[] }[];
  }[];
}
interface Datasource {
  uid: string;
  type: string;
  url: string;
}
interface DashboardProvider {
  type: string;
  options: { path: string };
}
interface Panel {
  title: string;
  datasource: { uid: string };
  targets: { expr: string; datasource: { uid: string } }[];
}

const ruleGroups = (parse(readRepoFile('docker/prometheus/alerts.yml')) as RuleFile).groups;
const alerts = ruleGroups.flatMap((g) => g.rules);
const alert = (name: string): AlertRule => {
  const rule = alerts.find((r) => r.alert === name);
  if (!rule) throw new Error(`alerts.yml has no alert ${name}`);
  return rule;
};
const dashboard = JSON.parse(readRepoFile('docker/grafana/dashboards/commerce-http.json')) as {
  uid: string;
  panels: Panel[];
};

function promtool(...args: string[]): void {
  const run = runTool(PROMTOOL, args);
  if (run.status !== 0) throw new Error(`promtool ${args.join(' ')} failed:\n${run.output}`);
}

describe('Prometheus and Grafana configuration', () => {
  it('is a Prometheus configuration that promtool accepts, rule files included', () => {
    expect(() => promtool('check', 'config', 'docker/prometheus/prometheus.yml')).not.toThrow();
  });

  it('has alert rules that promtool accepts', () => {
    expect(() => promtool('check', 'rules', 'docker/prometheus/alerts.yml')).not.toThrow();
  });

  it('fires and stays silent as the alert unit tests expect', () => {
    expect(() => promtool('test', 'rules', 'docker/prometheus/alerts.test.yml')).not.toThrow();
  });

  it('alerts on the 5xx ratio and p95 latency of the HTTP histogram the apps export, and on down targets', () => {
    expect(alert('HighHttpErrorRatio').expr).toContain(
      `${HTTP_REQUEST_DURATION_METRIC}_count{status_code=~"5.."`,
    );
    expect(alert('HighHttpLatencyP95').expr).toMatch(
      new RegExp(`histogram_quantile\\(0\\.95,[\\s\\S]*${HTTP_REQUEST_DURATION_METRIC}_bucket`),
    );
    expect(alert('TargetDown').expr.trim()).toBe('up == 0');
    for (const rule of alerts) {
      expect({ alert: rule.alert, for: rule.for, severity: rule.labels?.severity }).toEqual({
        alert: rule.alert,
        for: expect.stringMatching(/^\d+m$/),
        severity: expect.stringMatching(/^(page|ticket)$/),
      });
    }
  });

  it('alerts on any dead letter, outbox age and stored retries from the gauges the messaging library exports', () => {
    expect(alert('DeadLettersStored').expr).toBe(`max by (job) (${DEAD_LETTERS_METRIC}) > 0`);
    expect(alert('OutboxEventsDelayed').expr).toContain(OUTBOX_OLDEST_PENDING_AGE_METRIC);
    expect(alert('DeliveryRetriesPilingUp').expr).toContain(DELIVERY_RETRIES_METRIC);
    expect(alert('DeliveryRetryOlderThanOneHour').expr).toContain(OLDEST_DELIVERY_RETRY_AGE_METRIC);
    expect(alert('MessagingBacklogUnreadable').expr).toContain(OUTBOX_PENDING_METRIC);
  });

  it('links every messaging alert to its runbook in docs/runbooks, which shows how to list and replay', () => {
    const messaging = ruleGroups.find((group) => group.name === 'commerce-messaging')?.rules ?? [];
    expect(messaging.length).toBeGreaterThan(0);
    for (const rule of messaging) {
      const runbook = rule.annotations?.runbook_url ?? '';
      expect({ alert: rule.alert, runbook }).toEqual({
        alert: rule.alert,
        runbook: expect.stringMatching(/^docs\/runbooks\/[a-z0-9-]+\.md$/),
      });
      expect(existsSync(repoPath(runbook))).toBe(true);
      const text = readRepoFile(runbook);
      expect(text.startsWith(`# ${rule.alert}\n`)).toBe(true);
      expect(text).toContain('npm run messaging:dead-letters -- list');
      expect(readRepoFile('docs/runbooks/README.md')).toContain(`\`${rule.alert}\``);
    }
    expect(readRepoFile(alert('DeadLettersStored').annotations?.runbook_url ?? '')).toMatch(
      /messaging:dead-letters -- replay <id>[\s\S]*messaging:dead-letters -- replay --all/,
    );
  });

  it('pages on token revocation checks skipped (ADR 0042), linking a runbook that says what passed', () => {
    const rule = alert('RevocationChecksSkipped');
    expect(rule.expr).toContain(REVOCATION_CHECKS_SKIPPED_METRIC);
    expect(rule.labels?.severity).toBe('page');
    const runbook = rule.annotations?.runbook_url ?? '';
    expect(existsSync(repoPath(runbook))).toBe(true);
    const text = readRepoFile(runbook);
    expect(text.startsWith('# RevocationChecksSkipped\n')).toBe(true);
    expect(text).toContain(REVOCATION_CHECKS_SKIPPED_METRIC);
    expect(readRepoFile('docs/runbooks/README.md')).toContain('`RevocationChecksSkipped`');
  });

  it('loads the alert rules and scrapes /metrics on the app port', () => {
    const config = parse(readRepoFile('docker/prometheus/prometheus.yml')) as PrometheusConfig;
    expect(config.rule_files).toEqual(['alerts.yml']);
    const app = config.scrape_configs.find((job) => job.job_name === 'commerce-monolith');
    expect(app?.metrics_path).toBe('/metrics');
    expect(app?.static_configs.flatMap((c) => c.targets)).toEqual(['monolith:3000']);
  });

  it('provisions Grafana with the Prometheus datasource and the dashboards folder the compose file mounts', () => {
    const { datasources } = parse(
      readRepoFile('docker/grafana/provisioning/datasources/prometheus.yml'),
    ) as {
      datasources: Datasource[];
    };
    expect(datasources).toEqual([
      expect.objectContaining({
        uid: 'prometheus',
        type: 'prometheus',
        url: 'http://prometheus:9090',
      }),
    ]);
    const { providers } = parse(
      readRepoFile('docker/grafana/provisioning/dashboards/commerce.yml'),
    ) as {
      providers: DashboardProvider[];
    };
    expect(providers[0].type).toBe('file');
    expect(readRepoFile('docker/compose.yml')).toContain(
      `./grafana/dashboards:${providers[0].options.path}:ro`,
    );
  });

  it('draws request rate, error ratio and p95 latency from the provisioned datasource', () => {
    expect(dashboard.panels.map((panel) => panel.title)).toEqual([
      'Request rate by route',
      '5xx error ratio',
      'p95 latency',
    ]);
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid).toBe('prometheus');
      for (const target of panel.targets) {
        expect(target.datasource.uid).toBe('prometheus');
        expect(target.expr).toContain(HTTP_REQUEST_DURATION_METRIC);
      }
    }
  });

  it('queries with PromQL that Prometheus parses', () => {
    // Grafana's variables replaced by what they expand to, then checked as recording rules.
    const rules = dashboard.panels.flatMap((panel, index) =>
      panel.targets.map((target, targetIndex) => ({
        record: `dashboard:panel_${index}_${targetIndex}`,
        expr: target.expr.replaceAll('$__rate_interval', '1m').replaceAll('$job', '.+'),
      })),
    );
    const directory = mkdtempSync(join(tmpdir(), 'dashboard-promql-'));
    try {
      const file = join(directory, 'dashboard-rules.yml');
      writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));
      expect(() => promtool('check', 'rules', file)).not.toThrow();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
