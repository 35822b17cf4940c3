import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface ScenarioResult {
  readonly scenario: string;
  readonly ratio: number;
  readonly ratios: readonly number[];
  readonly app: { readonly requestsPerSecond: number; readonly errors: number };
  readonly appRequestLogLines: number;
}

// The harness itself, in its smoke mode (one round of 1 s): it starts the app and the reference
// servers, measures, and writes a results file. No timing is asserted: this machine is shared.
describe('npm run bench (BENCH_SMOKE=1)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('measures every scenario against its reference and writes the results', async () => {
    await run(process.execPath, ['bench/run.mjs'], {
      env: { ...process.env, BENCH_SMOKE: '1', BENCH_RESULTS_DIR: directory },
      timeout: 400_000,
      maxBuffer: 10 * 1024 * 1024,
    });
    const report = JSON.parse(readFileSync(join(directory, 'results.json'), 'utf8')) as {
      smoke: boolean;
      scenarios: ScenarioResult[];
    };
    expect(report.smoke).toBe(true);
    expect(report.scenarios.map((row) => row.scenario)).toEqual([
      'GET /health/live',
      'GET /v1/products/:id (cache hit)',
      'GET /v1/products/:id (cache disabled)',
    ]);
    for (const row of report.scenarios) {
      expect(Number.isFinite(row.ratio) && row.ratio > 0).toBe(true);
      expect(row.ratios).toHaveLength(1);
      expect(row.app.requestsPerSecond).toBeGreaterThan(0);
      expect(row.app.errors).toBe(0);
    }
    // Request log lines are part of the production pipeline measured; probes are not logged.
    const [health, cacheHit] = report.scenarios;
    expect(health.appRequestLogLines).toBe(0);
    expect(cacheHit.appRequestLogLines).toBeGreaterThan(0);
  }, 420_000);
});
