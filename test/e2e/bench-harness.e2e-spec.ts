import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface ScenarioResult {
  readonly scenario: string;
  readonly app: { readonly requestsPerSecond: number; readonly errors: number };
}

interface RatioResult extends ScenarioResult {
  readonly ratio: number;
  readonly ratios: readonly number[];
  readonly appRequestLogLines: number;
  readonly otlpExportRequests?: number;
  readonly appProductsRequested?: number;
}

/** The order scenarios: a ratio, a p99 target, and the payment saga behind the orders. */
interface OrdersResult extends RatioResult {
  readonly system: string;
  readonly p99TargetMs: number;
  readonly references: Record<
    string,
    { readonly requestsPerSecond: number; readonly errors: number }
  >;
  readonly saga: Record<string, { readonly paid: number; readonly waitingAfterDrain: number[] }>;
}

/** The search scenario has no reference: a p99 per round against a target. */
interface LatencyResult extends ScenarioResult {
  readonly p99s: readonly number[];
  readonly p99TargetMs: number;
}

// The harness itself, in its smoke mode (one round of 1 s): it starts the app and the reference
// servers, measures, and writes a results file. No timing is asserted: this machine is shared.
describe('npm run bench (BENCH_SMOKE=1)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('measures every scenario, against its reference or its p99 target, and writes the results', async () => {
    await run(process.execPath, ['bench/run.mjs'], {
      env: { ...process.env, BENCH_SMOKE: '1', BENCH_RESULTS_DIR: directory },
      timeout: 600_000,
      maxBuffer: 10 * 1024 * 1024,
    });
    const report = JSON.parse(readFileSync(join(directory, 'results.json'), 'utf8')) as {
      smoke: boolean;
      scenarios: ScenarioResult[];
    };
    const [health, cacheHit, traced, cacheDisabled] = report.scenarios as RatioResult[];
    const search = report.scenarios[4] as LatencyResult;
    const [orders, ordersSplit] = report.scenarios.slice(5) as OrdersResult[];
    expect(report.smoke).toBe(true);
    expect(report.scenarios.map((row) => row.scenario)).toEqual([
      'GET /health/live',
      'GET /v1/products/:id (cache hit)',
      'GET /v1/products/:id (cache hit, tracing on)',
      'GET /v1/products/:id (cache disabled)',
      'GET /v1/products?q= (search)',
      'POST /v1/orders (1-3 lines, 1,000 products)',
      'POST /v1/orders in split mode (gateway, RabbitMQ)',
    ]);
    for (const row of report.scenarios) {
      expect(row.app.requestsPerSecond).toBeGreaterThan(0);
      expect(row.app.errors).toBe(0);
    }
    for (const row of [health, cacheHit, traced, cacheDisabled, orders, ordersSplit]) {
      expect(Number.isFinite(row.ratio) && row.ratio > 0).toBe(true);
      expect(row.ratios).toHaveLength(1);
    }
    expect(search.p99s).toHaveLength(1);
    expect(search.p99s[0]).toBeGreaterThan(0);
    expect(search.p99TargetMs).toBe(50);
    // Request log lines are part of the production pipeline measured; probes are not logged.
    expect(health.appRequestLogLines).toBe(0);
    expect(cacheHit.appRequestLogLines).toBeGreaterThan(0);
    // The traced run's spans reached the local OTLP sink: tracing was on.
    expect(traced.otlpExportRequests).toBeGreaterThan(0);
    expect(cacheHit.otlpExportRequests).toBeUndefined();
    // With the cache off, requests spread over the demo products (one id would share loads).
    expect(cacheDisabled.appProductsRequested).toBeGreaterThan(1);
    expect(cacheHit.appProductsRequested).toBeUndefined();
    // Orders: the replay reference and the monolith placed orders without a refusal, and the
    // saga behind them paid the orders of the monolith and of the split stack.
    expect(orders.p99TargetMs).toBe(50);
    expect(ordersSplit.p99TargetMs).toBe(100);
    for (const row of [orders, ordersSplit]) {
      for (const reference of Object.values(row.references)) {
        expect(reference.requestsPerSecond).toBeGreaterThan(0);
        expect(reference.errors).toBe(0);
      }
    }
    expect(Object.keys(orders.saga)).toEqual(['monolith']);
    expect(Object.keys(ordersSplit.saga).sort()).toEqual(['monolith', ordersSplit.system].sort());
    for (const saga of [...Object.values(orders.saga), ...Object.values(ordersSplit.saga)]) {
      expect(saga.paid).toBeGreaterThan(0);
    }
  }, 620_000);
});
