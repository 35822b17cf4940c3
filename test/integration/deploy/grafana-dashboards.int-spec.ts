import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { parse, stringify } from 'yaml';
import { TEST_DATABASE_URL } from '../../support/test-environment.js';
import { readRepoFile } from './support/repository.js';
import { PROMTOOL, runTool } from './support/required-tool.js';

// Every provisioned dashboard: its PromQL parses (promtool), it reads only metrics the apps or the
// broker export, and its SQL panels run against a table shaped like the orders migration's.

interface Target {
  expr?: string;
  rawSql?: string;
  datasource: { uid: string };
}
interface Panel {
  type: string;
  title: string;
  repeat?: string;
  datasource?: { uid: string };
  targets?: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
}

const DASHBOARD_DIRECTORY = 'docker/grafana/dashboards';
const dashboards: Dashboard[] = readdirSync(join(process.cwd(), DASHBOARD_DIRECTORY))
  .filter((file) => file.endsWith('.json'))
  .map((file) => JSON.parse(readRepoFile(`${DASHBOARD_DIRECTORY}/${file}`)) as Dashboard);
const platform = dashboards.find((dashboard) => dashboard.uid === 'commerce-platform');
if (!platform) throw new Error('no dashboard commerce-platform');
const targets = dashboards.flatMap((dashboard) =>
  dashboard.panels.flatMap((panel) => panel.targets ?? []),
);
const datasourceUids = ['prometheus.yml', 'logs-and-traces.yml', 'orders-replica.yml'].flatMap(
  (file) =>
    (
      parse(readRepoFile(`docker/grafana/provisioning/datasources/${file}`)) as {
        datasources: { uid: string }[];
      }
    ).datasources.map((datasource) => datasource.uid),
);

/** Metric names as the code registers them (`name = 'x'` constants) or RabbitMQ exports them. */
function knownMetric(name: string): boolean {
  if (/^rabbitmq_queue_(messages_ready|messages_unacked|consumers)$/.test(name)) return true;
  const base = name.replace(/_(bucket|count|sum)$/, '');
  const found = spawnSync('grep', ['-rlF', `'${base}'`, 'libs', '--include=*.ts'], {
    encoding: 'utf8',
  });
  return found.stdout.trim() !== '';
}

describe('Grafana dashboards', () => {
  it('use only provisioned data sources', () => {
    for (const target of targets) {
      expect(datasourceUids).toContain(target.datasource.uid);
    }
  });

  it('has RED panels repeated per app, broker and queue panels, and saga panels', () => {
    const rows = platform.panels.filter((panel) => panel.type === 'row');
    expect(rows.map((row) => row.title)).toEqual([
      '$job: requests, errors, duration',
      'Broker (RabbitMQ) and messaging',
      'Notification jobs (Bull)',
      'Order saga',
    ]);
    expect(rows[0].repeat).toBe('job');
    const titles = platform.panels.map((panel) => panel.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Rate by route',
        'Errors: 5xx ratio and 4xx rate',
        'Duration p50, p95, p99',
        'Ready messages by queue',
        'Jobs by state',
        'Orders by state',
      ]),
    );
  });

  it('query with PromQL that Prometheus parses, on metrics that exist', () => {
    const expressions = targets.flatMap((target) => (target.expr ? [target.expr] : []));
    expect(expressions.length).toBeGreaterThan(10);
    const rules = expressions.map((expr, index) => ({
      record: `dashboard:target_${index}`,
      expr: expr.replaceAll('$__rate_interval', '1m').replaceAll('$job', '.+'),
    }));
    const directory = mkdtempSync(join(tmpdir(), 'dashboards-promql-'));
    try {
      const file = join(directory, 'rules.yml');
      writeFileSync(file, stringify({ groups: [{ name: 'dashboards', rules }] }));
      const run = runTool(PROMTOOL, ['check', 'rules', file]);
      expect({ status: run.status, output: run.status === 0 ? '' : run.output }).toEqual({
        status: 0,
        output: '',
      });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
    // A metric is a name before a selector's `{`, or alone in an aggregation's parentheses
    // (`max by (job) (name)`); label lists follow `by`.
    const metrics = new Set(
      expressions.flatMap((expr) => [
        ...[...expr.matchAll(/\b([a-z_]+)\{/g)].map((match) => match[1]),
        ...[...expr.matchAll(/(?<!by )\(([a-z_]+)\)/g)].map((match) => match[1]),
      ]),
    );
    expect(metrics).toContain('circuit_breaker_state');
    const unknown = [...metrics].filter((name) => !knownMetric(name));
    expect(unknown).toEqual([]);
  });

  it('runs its SQL against a table shaped like the orders migration creates', async () => {
    const statements = targets.flatMap((target) => (target.rawSql ? [target.rawSql] : []));
    expect(statements.length).toBeGreaterThanOrEqual(3);
    const migration = readRepoFile(
      'libs/orders/src/migrations/1767484800000-create-orders-schema.ts',
    );
    for (const column of [
      'status              varchar(32)',
      'created_at          timestamptz',
      'updated_at          timestamptz',
    ]) {
      expect(migration).toContain(column);
    }
    const schema = `dashboard_${randomUUID().slice(0, 8)}`;
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(
        `CREATE TABLE ${schema}.orders (status varchar(32) NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)`,
      );
      await client.query(
        `INSERT INTO ${schema}.orders VALUES ('paid', now() - interval '1 hour', now()), ('pending_payment', now() - interval '1 hour', now() - interval '1 hour'), ('paid', now(), now())`,
      );
      const results = [];
      for (const statement of statements) {
        // Grafana's macros as its PostgreSQL data source expands them.
        const sql = statement
          .replaceAll('orders.orders', `${schema}.orders`)
          .replace(/\$__timeGroupAlias\((\w+), '1h'\)/g, `date_trunc('hour', $1) AS "time"`)
          .replace(/\$__timeFilter\((\w+)\)/g, `$1 BETWEEN now() - interval '6 hours' AND now()`);
        results.push((await client.query(sql)).rows);
      }
      expect(results[0]).toEqual([
        { state: 'paid', orders: '2' },
        { state: 'pending_payment', orders: '1' },
      ]);
      expect(results[2]).toEqual([{ orders: '1' }]);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });
});
