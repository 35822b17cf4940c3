// Cold and warm start of the monolith's Lambda handler (dist/apps/monolith/src/lambda.js), run the
// way Lambda's Node runtime runs it: a fresh process imports the module (top-level await builds the
// app and waits for readiness), then calls `handler(event, context)` in memory. No AWS involved.
// Run `npm run build` first, then `node bench/lambda-cold-start.mjs`. BENCH_COLD_RUNS starts;
// BENCH_LAMBDA_APP=catalog (...) measures a split app's handler, and BENCH_LAMBDA_BUNDLE=1 its
// bundle (dist/bundle/<app>/lambda.mjs, `npm run bundle`) instead of the plain build.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import {
  ROOT,
  appEnvironment,
  assertBuilt,
  deadline,
  ensureDatabaseExists,
  freePort,
  intSetting,
  machine,
  median,
  round,
  writeResults,
} from './support.mjs';

const RUNS = intSetting('BENCH_COLD_RUNS', 5, 10);
const WARM_INVOCATIONS = 50;
const APP = process.env.BENCH_LAMBDA_APP ?? 'monolith';
const LAMBDA_ENTRY =
  process.env.BENCH_LAMBDA_BUNDLE === '1'
    ? resolve(ROOT, `dist/bundle/${APP}/lambda.mjs`)
    : resolve(ROOT, `dist/apps/${APP}/src/lambda.js`);
const MARKER = 'LAMBDA_BENCH ';

// Runs inside the child. Times are taken there with performance.now(), whose origin is the
// process start; the parent measures spawn() to the result line on stdout as well.
const INVOKER = `
const invocations = Number(process.env.LAMBDA_BENCH_INVOCATIONS);
const event = {
  version: '2.0',
  routeKey: '$default',
  rawPath: '/health/live',
  rawQueryString: '',
  headers: { host: 'api.example.test', 'user-agent': 'lambda-bench' },
  requestContext: {
    http: { method: 'GET', path: '/health/live', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
    requestId: 'lambda-bench',
    routeKey: '$default',
    stage: '$default',
  },
  isBase64Encoded: false,
};
const importStartedAt = performance.now();
const { handler } = await import(${JSON.stringify(LAMBDA_ENTRY)});
const importedAt = performance.now();
const durations = [];
for (let index = 0; index < invocations; index++) {
  const startedAt = performance.now();
  const response = await handler(event, {});
  durations.push(performance.now() - startedAt);
  if (response.statusCode !== 200) throw new Error('GET /health/live answered ' + response.statusCode);
}
console.log(${JSON.stringify(MARKER)} + JSON.stringify({ importStartedAt, importedAt, durations }));
process.exit(0);
`;

let child;
deadline(150_000, () => child?.kill('SIGKILL'));

async function run(invocations, env) {
  const startedAt = performance.now();
  child = spawn(process.execPath, ['--input-type=module', '-e', INVOKER], {
    cwd: ROOT,
    env: { ...env, LAMBDA_BENCH_INVOCATIONS: String(invocations) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let answeredAt;
  child.stdout.on('data', (chunk) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (answeredAt === undefined && output.includes(MARKER)) answeredAt = performance.now();
  });
  child.stderr.on('data', (chunk) => (output = (output + chunk.toString()).slice(-20_000)));
  const code = await new Promise((done) => child.once('exit', done));
  const line = output.split('\n').find((candidate) => candidate.startsWith(MARKER));
  if (code !== 0 || line === undefined) {
    throw new Error(`the invoker exited ${code}; output:\n${output}`);
  }
  const report = JSON.parse(line.slice(MARKER.length));
  return {
    // Spawn to the first response printed: Node start, import, Nest init, readiness, one invoke.
    firstResponseMs: answeredAt - startedAt,
    // Inside the child: what Lambda bills as the init phase, then the first invoke alone.
    initMs: report.importedAt - report.importStartedAt,
    firstInvokeMs: report.durations[0],
    durations: report.durations,
  };
}

const summary = (values) => ({
  median: round(median(values), 1),
  min: round(Math.min(...values), 1),
  max: round(Math.max(...values), 1),
});
const cell = (stats, digits = 0) =>
  `${stats.median.toFixed(digits)} (${stats.min.toFixed(digits)}–${stats.max.toFixed(digits)})`;

async function main() {
  assertBuilt();
  await ensureDatabaseExists();
  const host = machine();
  console.log(
    `${host.nproc} CPUs, Node ${host.node}, load average ${host.loadAverage.join(' ')}; ${RUNS} cold starts of ${LAMBDA_ENTRY}\n`,
  );
  // HTTP_PORT is validated by the configuration even though the handler never listens.
  const env = appEnvironment(await freePort(), { DATABASE_RUN_MIGRATIONS: 'false' });

  // Not counted: applies pending migrations once and warms the disk cache.
  await run(1, appEnvironment(await freePort()));

  const cold = [];
  for (let index = 0; index < RUNS; index++) cold.push(await run(1, env));
  const warm = await run(WARM_INVOCATIONS + 1, env);
  // The first invocation of that process is its cold one; the warm samples are the rest.
  const warmDurations = warm.durations.slice(1);
  const sorted = [...warmDurations].sort((a, b) => a - b);

  const rows = {
    firstResponseMs: summary(cold.map((sample) => sample.firstResponseMs)),
    initMs: summary(cold.map((sample) => sample.initMs)),
    firstInvokeMs: summary(cold.map((sample) => sample.firstInvokeMs)),
    warmInvokeMs: {
      median: round(median(warmDurations), 2),
      p95: round(sorted[Math.ceil(sorted.length * 0.95) - 1], 2),
      max: round(sorted.at(-1), 2),
    },
  };
  console.log(`median (min–max) over ${RUNS} fresh processes, GET /health/live`);
  console.log(`spawn() → first response   ${cell(rows.firstResponseMs)} ms`);
  console.log(`  of which import + init   ${cell(rows.initMs)} ms`);
  console.log(`  of which first invoke    ${cell(rows.firstInvokeMs, 1)} ms`);
  console.log(
    `warm invoke, ${WARM_INVOCATIONS} in one process: median ${rows.warmInvokeMs.median} ms, ` +
      `p95 ${rows.warmInvokeMs.p95} ms, max ${rows.warmInvokeMs.max} ms`,
  );

  const file = await writeResults('lambda-cold-start', {
    benchmark: 'lambda-cold-start',
    entry: LAMBDA_ENTRY,
    date: new Date().toISOString(),
    machine: host,
    runs: RUNS,
    summary: rows,
    cold: cold.map(({ firstResponseMs, initMs, firstInvokeMs }) => ({
      firstResponseMs: round(firstResponseMs, 1),
      initMs: round(initMs, 1),
      firstInvokeMs: round(firstInvokeMs, 2),
    })),
    warmInvokeMs: warmDurations.map((ms) => round(ms, 3)),
  });
  console.log(`\nresults: ${file}`);
}

try {
  await main();
} catch (error) {
  child?.kill('SIGKILL');
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
