// `npm run bench`: the app's throughput as a ratio of reference servers started in the same run.
// Each scenario starts the built monolith and its references (bench/reference-server.mjs), pins
// them to core 0 and this process (the load generator) to core 1 with taskset when there are two
// cores, warms each up, then measures them in alternating order (A B, B A, ...) over BENCH_ROUNDS
// rounds of BENCH_DURATION seconds: a machine that gets busier during the run slows both sides of
// a ratio alike. Loopback only, bounded by a hard deadline; every process it started is stopped.
// Writes bench/results.json and a dated section at the top of bench/RESULTS.md.
// BENCH_SMOKE=1: one round of 1 s, results in BENCH_RESULTS_DIR only (what CI runs).
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { format as prettierFormat, resolveConfig } from 'prettier';
import {
  appEnvironment,
  assertBuilt,
  deadline,
  ensureDatabaseExists,
  freePort,
  intSetting,
  machine,
  median,
  memoryOf,
  MONOLITH_ENTRY,
  ROOT,
  round,
  stopApp,
  trackApp,
  waitFor200,
} from './support.mjs';

const SMOKE = process.env.BENCH_SMOKE === '1';
const ROUNDS = SMOKE ? 1 : intSetting('BENCH_ROUNDS', 5, 10);
const DURATION_S = SMOKE ? 1 : intSetting('BENCH_DURATION', 10, 30);
// Long enough for V8 to optimise the app's pipeline: 3 s left the app speeding up round after round.
const WARMUP_S = SMOKE ? 1 : 5;
const CONNECTIONS = intSetting('BENCH_CONNECTIONS', 50, 200);
const PRODUCTS = intSetting('BENCH_PRODUCTS', SMOKE ? 50 : 1000, 1_000_000);
const POOL_MAX = 10; // the app's DATABASE_POOL_MAX default, given to the pg reference as well
const RESULTS_DIR = resolve(process.env.BENCH_RESULTS_DIR ?? resolve(ROOT, 'bench'));
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/commerce_bench';
const SEED_ENTRY = resolve(ROOT, 'dist/apps/monolith/src/seed.js');
/** Rounds disagree when their ratios spread over more than this share of the median ratio. */
const DISAGREEMENT = 0.2;

// The monolith as production runs it: request log lines on (info), throttling counted in Redis
// for every request (a limit that never rejects), security headers, metrics.
const APP_SETTINGS = {
  LOG_LEVEL: 'info',
  THROTTLE_LIMIT: '100000000',
  DATABASE_POOL_MAX: String(POOL_MAX),
};

const SCENARIOS = [
  {
    name: 'GET /health/live',
    path: () => '/health/live',
    app: {},
    references: ['fastify', 'node-http'],
    target: 0.8,
  },
  {
    name: 'GET /v1/products/:id (cache hit)',
    path: (seed) => `/v1/products/${seed.productId}`,
    app: {},
    references: ['fastify', 'node-http'],
    target: 0.6,
  },
  {
    name: 'GET /v1/products/:id (cache disabled)',
    path: (seed) => `/v1/products/${seed.productId}`,
    app: { CATALOG_CACHE_ENABLED: 'false' },
    references: ['fastify-pg'],
    target: 0.7,
  },
];

const REFERENCE_NAMES = {
  fastify: 'bare Fastify, same body',
  'node-http': 'bare node:http, same body',
  'fastify-pg': `bare Fastify + pg (pool ${POOL_MAX}), same SELECT`,
};

const started = new Set();
const scratch = mkdtempSync(join(tmpdir(), 'bench-'));
const cleanUp = () => {
  for (const server of started) server.kill();
  rmSync(scratch, { recursive: true, force: true });
};
process.once('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => process.exit(130));
}
const budgetMs =
  SCENARIOS.length * (90 + (ROUNDS + 1) * 3 * (DURATION_S + WARMUP_S + 2)) * 1000 + 60_000;
deadline(budgetMs, cleanUp);

// Read before pinning: once pinned, Node reports the one core this process may use.
const HOST = machine();
const pinning = (() => {
  if (HOST.nproc < 2) return undefined;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
    return { server: '0', loadGenerator: '1' };
  } catch {
    return undefined; // no taskset: unpinned, said so in the results
  }
})();

/** Starts a server process (pinned to the server core), its output going to a scratch file. */
function startServer(label, args, env) {
  const port = Number(env.HTTP_PORT);
  const logFile = join(scratch, `${label.replace(/\W+/g, '-')}-${port}.log`);
  const fd = openSync(logFile, 'w');
  const command = pinning ? 'taskset' : process.execPath;
  const argv = pinning ? ['-c', pinning.server, process.execPath, ...args] : args;
  const startedAt = performance.now();
  const child = spawn(command, argv, { cwd: ROOT, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const output = () => readFileSync(logFile, 'utf8').slice(-20_000);
  const server = { ...trackApp(child, port, startedAt, output), label, logFile };
  started.add(server);
  return server;
}

async function stopServer(server) {
  const stopped = await stopApp(server);
  started.delete(server);
  return stopped;
}

async function startApp(overrides) {
  const env = appEnvironment(await freePort(), {
    ...APP_SETTINGS,
    DATABASE_URL,
    ...overrides,
  });
  const app = startServer('monolith', [MONOLITH_ENTRY], env);
  await waitFor200(app, '/health/ready', { timeoutMs: 90_000, intervalMs: 50 });
  return { app, env };
}

async function startReference(kind, body) {
  const env = {
    PATH: process.env.PATH ?? '',
    HTTP_PORT: String(await freePort()),
    REFERENCE_BODY: body ?? '{}',
    DATABASE_URL,
    DATABASE_POOL_MAX: String(POOL_MAX),
  };
  const reference = startServer(
    kind,
    [resolve(ROOT, 'bench/reference-server.mjs'), kind, env.HTTP_PORT],
    env,
  );
  return reference;
}

/** The demo catalog through `npm run db:seed`'s script, then the id of DEMO-000001. */
async function seedCatalog(env) {
  execFileSync(process.execPath, [SEED_ENTRY, '--products', String(PRODUCTS)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT id FROM catalog.products WHERE sku = 'DEMO-000001'`,
    );
    return { productId: rows[0].id };
  } finally {
    await client.end();
  }
}

function load(url, seconds) {
  return autocannon({ url, connections: CONNECTIONS, duration: seconds, timeout: 10 });
}

async function measureOnce(server, path) {
  const result = await load(`${server.baseUrl}${path}`, DURATION_S);
  return {
    requestsPerSecond: round(result.requests.average, 0),
    latencyMs: {
      p50: result.latency.p50,
      p99: result.latency.p99,
      p99_9: result.latency.p99_9,
    },
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    rssMiB: round(memoryOf(server.pid).rssMiB),
  };
}

/** One request's body: what the references answer, so both sides send the same bytes. */
async function bodyOf(server, path) {
  const response = await fetch(`${server.baseUrl}${path}`);
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`${server.label} ${path} answered ${response.status}: ${text}`);
  return text;
}

function summarise(rounds) {
  const pick = (key) => median(rounds.map(key));
  return {
    requestsPerSecond: round(
      pick((r) => r.requestsPerSecond),
      0,
    ),
    latencyMs: {
      p50: pick((r) => r.latencyMs.p50),
      p99: pick((r) => r.latencyMs.p99),
      p99_9: pick((r) => r.latencyMs.p99_9),
    },
    errors: rounds.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
    rssMiB: round(Math.max(...rounds.map((r) => r.rssMiB))),
  };
}

async function runScenario(scenario, seed) {
  const path = scenario.path(seed);
  console.log(`\n${scenario.name}: starting the app and ${scenario.references.join(', ')}`);
  const { app } = await startApp(scenario.app);
  const body = await bodyOf(app, path); // for the product: also fills the cache
  const references = [];
  for (const kind of scenario.references) {
    references.push({ kind, server: await startReference(kind, body) });
  }
  for (const { server } of references)
    await waitFor200(server, path, { timeoutMs: 30_000, intervalMs: 50 });
  const targets = [{ kind: 'app', server: app }, ...references];
  for (const target of targets) await load(`${target.server.baseUrl}${path}`, WARMUP_S);

  const measured = new Map(targets.map((target) => [target.kind, []]));
  const ratios = [];
  for (let index = 0; index < ROUNDS; index++) {
    const order = index % 2 === 0 ? targets : [...targets].reverse();
    for (const target of order)
      measured.get(target.kind).push(await measureOnce(target.server, path));
    const appRound = measured.get('app')[index];
    const referenceRound = measured.get(scenario.references[0])[index];
    ratios.push(round(appRound.requestsPerSecond / referenceRound.requestsPerSecond, 3));
    console.log(
      `  round ${index + 1}: ${order.map((t) => `${t.kind} ${measured.get(t.kind)[index].requestsPerSecond}`).join(', ')} req/s; ratio ${ratios[index]}`,
    );
  }
  // The measured route's request lines (a failing readiness poll at start-up is logged as well).
  const template = path.replace(seed.productId, ':id');
  const appRequestLines = readFileSync(app.logFile, 'utf8')
    .split('\n')
    .filter(
      (line) => line.includes('"request completed"') && line.includes(`"route":"${template}"`),
    ).length;
  for (const { server } of references) await stopServer(server);
  const stopped = await stopServer(app);
  const ratio = median(ratios);
  const spread = ratios.length > 1 ? (Math.max(...ratios) - Math.min(...ratios)) / ratio : 0;
  return {
    scenario: scenario.name,
    path: template,
    reference: REFERENCE_NAMES[scenario.references[0]],
    target: scenario.target,
    ratio: round(ratio, 3),
    ratios,
    roundsDisagree: spread > DISAGREEMENT,
    app: summarise(measured.get('app')),
    references: Object.fromEntries(
      scenario.references.map((kind) => [REFERENCE_NAMES[kind], summarise(measured.get(kind))]),
    ),
    appRequestLogLines: appRequestLines,
    appShutdown: { code: stopped.code, forced: stopped.forced },
  };
}

function commit() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT })
      .toString()
      .trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: ROOT,
    })
      .toString()
      .trim();
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}

const ms = (value) => (value === undefined ? '—' : String(value));

function markdownSection(report) {
  const { host } = report;
  const lines = [
    `## ${report.date.slice(0, 16).replace('T', ' ')} UTC — npm run bench (ratios)`,
    '',
    `**Machine**: ${host.nproc} × ${host.cpu}, ${host.memoryGiB} GiB, Node ${host.node}, kernel ${host.kernel}; ` +
      `load average ${host.loadAverage.join(' ')} at the start, ${report.loadAverageAtEnd.join(' ')} at the end. ` +
      `Commit ${report.commit}. ${report.settings.rounds} rounds of ${report.settings.durationSeconds} s, ` +
      `${report.settings.connections} connections, ${report.settings.warmupSeconds} s warm-up; ` +
      (report.pinned
        ? 'servers on core 0, load generator on core 1 (taskset).'
        : 'unpinned (no taskset or one core).'),
    '',
    '| scenario | system / reference | req/s | p50 | p99 | p99.9 | errors | RSS MiB | ratio (rounds) | target |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of report.scenarios) {
    const flag = row.roundsDisagree ? ' ⚠ rounds disagree' : '';
    const cells = (label, m) =>
      `${label} | ${m.requestsPerSecond} | ${ms(m.latencyMs.p50)} | ${ms(m.latencyMs.p99)} | ${ms(m.latencyMs.p99_9)} | ${m.errors} | ${m.rssMiB}`;
    lines.push(
      `| \`${row.path}\` ${row.scenario.replace(/^GET \S+ ?/, '')} | ${cells('monolith', row.app)} | **${row.ratio}** (${row.ratios.join(', ')})${flag} | ≥ ${row.target} |`,
    );
    for (const [name, m] of Object.entries(row.references))
      lines.push(`| | ${cells(name, m)} | | |`);
  }
  lines.push(
    '',
    "Latency in ms, medians over the rounds; ratio = monolith req/s ÷ the first reference's, per round, median in bold. " +
      'Absolute numbers depend on what else the machine runs; the ratios are the figures to compare.',
    '',
  );
  return lines.join('\n');
}

/** Puts the section above the newest dated one (newest first), formatted by Prettier. */
async function prependToResults(section) {
  const file = resolve(ROOT, 'bench/RESULTS.md');
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf('\n## 20');
  const options = (await resolveConfig(file)) ?? {};
  const format = (markdown) => prettierFormat(markdown, { ...options, filepath: file });
  writeFileSync(
    file,
    await format(
      at === -1
        ? `${text}\n${section}`
        : `${text.slice(0, at + 1)}${section}\n${text.slice(at + 1)}`,
    ),
  );
}

async function main() {
  assertBuilt();
  await ensureDatabaseExists(DATABASE_URL);
  const host = HOST;
  console.log(
    `${host.nproc} CPUs, load average ${host.loadAverage.join(' ')}; ${ROUNDS} rounds of ${DURATION_S} s, ` +
      `${CONNECTIONS} connections${pinning ? '; pinned with taskset' : ''}`,
  );
  // The first app start applies the migrations; the seed needs the catalog's tables.
  const { app, env } = await startApp({});
  const seed = await seedCatalog(env);
  await stopServer(app);

  const scenarios = [];
  for (const scenario of SCENARIOS) scenarios.push(await runScenario(scenario, seed));
  const report = {
    benchmark: 'bench',
    date: new Date().toISOString(),
    host,
    loadAverageAtEnd: machine().loadAverage,
    commit: commit(),
    pinned: pinning !== undefined,
    smoke: SMOKE,
    settings: {
      rounds: ROUNDS,
      durationSeconds: DURATION_S,
      warmupSeconds: WARMUP_S,
      connections: CONNECTIONS,
      products: PRODUCTS,
    },
    scenarios,
  };
  writeFileSync(resolve(RESULTS_DIR, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  if (!SMOKE) await prependToResults(markdownSection(report));
  console.log('');
  for (const row of scenarios) {
    console.log(
      `${row.scenario}: ratio ${row.ratio} (${row.ratios.join(', ')})${row.roundsDisagree ? ' ROUNDS DISAGREE' : ''}, ` +
        `app ${row.app.requestsPerSecond} req/s p99 ${row.app.latencyMs.p99} ms, target ≥ ${row.target}`,
    );
  }
  console.log(`results: ${resolve(RESULTS_DIR, 'results.json')}`);
  const failed = scenarios.some(
    (row) =>
      row.app.errors > 0 ||
      Object.values(row.references).some((m) => m.errors > 0) ||
      row.appShutdown.code !== 0,
  );
  if (failed) {
    console.error('requests failed or the app did not exit 0 on SIGTERM: see the results');
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
} finally {
  cleanUp();
}
