// `npm run bench`: the app's throughput as a ratio of reference servers started in the same run.
// Each scenario starts the built monolith and its references (bench/reference-server.mjs), pins
// them to core 0 and this process (the load generator) to core 1 with taskset when there are two
// cores, warms each up, then measures them in alternating order (A B, B A, ...) over BENCH_ROUNDS
// rounds of BENCH_DURATION seconds: a machine that gets busier during the run slows both sides of
// a ratio alike. Loopback only, bounded by a hard deadline; every process it started is stopped.
// Writes bench/results.json and a dated section at the top of bench/RESULTS.md.
// The search scenario has no reference: it measures the latency of GET /v1/products?q= over a
// catalog of BENCH_SEARCH_PRODUCTS (100k) against a p99 target (issue 7, ADR 0043).
// The traced variant runs the cached product read with tracing on (OTEL_EXPORTER_OTLP_ENDPOINT),
// its spans exported to a sink in this process that discards them.
// The order scenarios place a distinct valid order per request (bench/orders-load.mjs) at 32
// connections: `orders` against bare Fastify + pg replaying the order's SQL in one transaction
// (bench/orders-reference.mjs), `orders-split` through the split stack's gateway against the
// monolith, both stacks running at once (bench/orders-split-stack.mjs). The payment saga runs
// behind every order; after each round the harness waits (bounded) for it to settle, then
// vacuums the database (autovacuum may be off on a CI machine: vacuumDatabase in orders-load.mjs).
// BENCH_SCENARIOS=health,product-cached,product-cached-traced,product-uncached,search,orders,
// orders-split picks scenarios (all by default).
// BENCH_SMOKE=1: one round of 1 s, results in BENCH_RESULTS_DIR only (what CI runs).
// BENCH_NODE_ARGS='--max-semi-space-size=8' passes flags to node for the monolith (not the
// references) instead of those the image's CMD gives it; BENCH_NODE_ARGS='' passes none.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { format as prettierFormat, resolveConfig } from 'prettier';
import {
  demoProductIds,
  drainSaga,
  orderRequests,
  placeOneOrder,
  registerCustomers,
  restoreDemoStock,
  vacuumDatabase,
} from './orders-load.mjs';
import { removeReferenceOrders, removeReferenceOutboxRows } from './orders-reference.mjs';
import {
  prepareSplitStack,
  splitStackKiller,
  START_SPLIT,
  treeRssMiB,
  waitForSplitStack,
} from './orders-split-stack.mjs';
import {
  appEnvironment,
  assertBuilt,
  cpuBetween,
  cpuSnapshot,
  deadline,
  ensureDatabaseExists,
  freePort,
  intSetting,
  machine,
  median,
  memoryOf,
  MONOLITH_ENTRY,
  nodeArgsSetting,
  ROOT,
  round,
  stopApp,
  trackApp,
  waitFor200,
  writeFormattedJson,
} from './support.mjs';

const SMOKE = process.env.BENCH_SMOKE === '1';
const APP_NODE_ARGS = nodeArgsSetting();
const ROUNDS = SMOKE ? 1 : intSetting('BENCH_ROUNDS', 5, 10);
const DURATION_S = SMOKE ? 1 : intSetting('BENCH_DURATION', 10, 30);
// Long enough for V8 to optimise the app's pipeline: 3 s left the app speeding up round after round.
const WARMUP_S = SMOKE ? 1 : 5;
const CONNECTIONS = intSetting('BENCH_CONNECTIONS', 50, 200);
const PRODUCTS = intSetting('BENCH_PRODUCTS', SMOKE ? 50 : 1000, 1_000_000);
// The catalog the search scenario needs (issue 7: 100k); the smoke run only checks the harness.
const SEARCH_PRODUCTS = SMOKE ? PRODUCTS : intSetting('BENCH_SEARCH_PRODUCTS', 100_000, 1_000_000);
const SEARCH_CONNECTIONS = 20;
const ORDER_CONNECTIONS = 32; // issue 7's order rows
/** The longest wait after a round for its orders' payments (the saga behind them) to settle. */
const DRAIN_TIMEOUT_MS = (SMOKE ? 10 : 60) * 1000;
// An order takes a second under a busy CI machine's load: one-second smoke rounds counted none.
const ORDER_DURATION_S = SMOKE ? 3 : DURATION_S;
// The app's DATABASE_POOL_MAX default, given to the pg reference as well. The smoke run (in CI,
// beside other suites on one Postgres of 100 connections) keeps pools small: the split stack
// alone would otherwise hold five apps' full pools.
const POOL_MAX = SMOKE ? 2 : 10;
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
  // Every system's customers sign in from 127.0.0.1, run after run: the per-IP login limit
  // (20 in 15 min, counted in Redis) refused the split stack's customers once a run had gone before.
  LOGIN_THROTTLE_LIMIT_PER_IP: '100000',
  DATABASE_POOL_MAX: String(POOL_MAX),
};

const SCENARIOS = [
  {
    id: 'health',
    name: 'GET /health/live',
    path: () => '/health/live',
    app: {},
    references: ['fastify', 'fastify-headers', 'node-http'],
    target: 0.8,
  },
  {
    id: 'product-cached',
    name: 'GET /v1/products/:id (cache hit)',
    path: (seed) => `/v1/products/${seed.productId}`,
    app: {},
    references: ['fastify', 'fastify-headers', 'node-http'],
    target: 0.6,
  },
  {
    id: 'product-cached-traced',
    name: 'GET /v1/products/:id (cache hit, tracing on)',
    path: (seed) => `/v1/products/${seed.productId}`,
    app: {},
    // Spans of every request (HTTP, ioredis) go to a local OTLP sink that discards them: what
    // "tracing on, exporter off" costs, plus the export's serialisation, an upper bound of it.
    tracing: true,
    references: ['fastify', 'fastify-headers', 'node-http'],
    target: 0.6,
  },
  {
    id: 'product-uncached',
    name: 'GET /v1/products/:id (cache disabled)',
    path: (seed) => `/v1/products/${seed.productId}`,
    app: { CATALOG_CACHE_ENABLED: 'false' },
    // Each request reads a random one of the PRODUCTS demo products. On one id, 50 connections
    // mostly shared a query: the app lets concurrent readers of a product share one load (the
    // cache's stampede guard, which runs with the cache off too), while the reference queries per
    // request, so the ratio came out above 1 without measuring a read each.
    spread: true,
    references: ['fastify-pg'],
    target: 0.7,
  },
  {
    id: 'search',
    name: 'GET /v1/products?q= (search)',
    latency: true,
    p99TargetMs: 50,
  },
  {
    id: 'orders',
    name: 'POST /v1/orders (1-3 lines, 1,000 products)',
    orders: true,
    system: 'monolith',
    references: ['fastify-pg-orders'],
    target: 0.5,
    p99TargetMs: 50,
  },
  {
    id: 'orders-split',
    name: 'POST /v1/orders in split mode (gateway, RabbitMQ)',
    orders: true,
    system: 'split',
    references: ['monolith'],
    target: 0.5,
    p99TargetMs: 100,
  },
];

/**
 * What the search scenario asks, each connection cycling through the list: mostly the default
 * order (newest first) over words of every frequency in the demo catalog (`coffee` 27 % of the
 * products, `kettle` 9 %, `organic mug` 1.3 %; a product number matches one; `bicycle` and
 * `organic travel` none; `mug -coffee` none although both words are common), a second page by
 * cursor, and two other orders. `thermos` by name falls to sorting its 9k matches: demo names
 * start with an adjective, so within the 2,000 products a walk reads, none is a thermos (ADR 0043).
 * `{n}` is a random product number per request.
 */
const SEARCH_QUERIES = [
  'q=coffee',
  'q=kettle',
  'q={n}',
  'q=organic%20mug',
  'q=bicycle',
  'q=teapot&sort=price&order=asc',
  'q=coffee&cursor={cursor}',
  'q=organic%20travel',
  'q={n}',
  'q=mug%20-coffee',
  'q=thermos&sort=name&order=asc',
  'q=espresso',
];

const selected = (() => {
  const wanted = process.env.BENCH_SCENARIOS?.split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (!wanted?.length) return SCENARIOS;
  const unknown = wanted.filter((id) => !SCENARIOS.some((scenario) => scenario.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_SCENARIOS: no scenario ${unknown.join(', ')} (there are ${SCENARIOS.map((scenario) => scenario.id).join(', ')})`,
    );
  }
  return SCENARIOS.filter((scenario) => wanted.includes(scenario.id));
})();
const SEARCHING = selected.some((scenario) => scenario.latency);
const SPLITTING = selected.some((scenario) => scenario.system === 'split');

const REFERENCE_NAMES = {
  fastify: 'bare Fastify, same body',
  'fastify-headers': 'bare Fastify, same body and headers',
  'node-http': 'bare node:http, same body',
  'fastify-pg': `bare Fastify + pg (pool ${POOL_MAX}), same SELECT`,
  'fastify-pg-orders': `bare Fastify + pg (pool ${POOL_MAX}), the order's SQL in one transaction`,
  monolith: 'monolith, same run',
};
const SYSTEM_NAMES = { monolith: 'monolith', split: 'split stack (5 apps, gateway)' };

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
// Per scenario: start-up, warm-up and rounds of up to three servers, each followed by a drain of
// the payment saga's backlog for the order scenarios; seeding 100k products once; the split
// stack's start.
const budgetMs =
  selected.length *
    (90 + (ROUNDS + 1) * 3 * (DURATION_S + WARMUP_S + 2 + DRAIN_TIMEOUT_MS / 1000)) *
    1000 +
  (SEARCHING ? 180_000 : 0) +
  (SPLITTING ? 180_000 : 0) +
  60_000;
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
  const app = startServer('monolith', [...APP_NODE_ARGS, MONOLITH_ENTRY], env);
  await waitFor200(app, '/health/ready', { timeoutMs: 90_000, intervalMs: 50 });
  return { app, env };
}

async function startReference(kind, body, extraEnv = {}) {
  const env = {
    PATH: process.env.PATH ?? '',
    HTTP_PORT: String(await freePort()),
    REFERENCE_BODY: body ?? '{}',
    DATABASE_URL,
    DATABASE_POOL_MAX: String(POOL_MAX),
    ...extraEnv,
  };
  const reference = startServer(
    kind,
    [resolve(ROOT, 'bench/reference-server.mjs'), kind, env.HTTP_PORT],
    env,
  );
  return reference;
}

/**
 * The demo catalog through `npm run db:seed`'s script (idempotent: a second run inserts nothing),
 * then the id of DEMO-000001 and how many demo products there are.
 */
async function seedCatalog(env) {
  const products = Math.max(PRODUCTS, SEARCHING ? SEARCH_PRODUCTS : 0);
  execFileSync(process.execPath, [SEED_ENTRY, '--products', String(products)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    // Autovacuum vacuums and analyses a freshly filled table within minutes; searching before
    // that measures plans made without statistics or visibility map (sequential scans where the
    // GIN index serves), which production does not run.
    await client.query('VACUUM ANALYZE catalog.products');
    const { rows } = await client.query(
      `SELECT id FROM catalog.products WHERE sku = 'DEMO-000001'`,
    );
    return { productId: rows[0].id, products };
  } finally {
    await client.end();
  }
}

function load(url, seconds) {
  return autocannon({ url, connections: CONNECTIONS, duration: seconds, timeout: 10 });
}

/**
 * load() with every request to a random one of `paths` (picked on the load generator's core); each
 * path sent is added to `requested`, when given.
 */
function loadSpread(baseUrl, paths, seconds, requested) {
  const pick = () => paths[Math.floor(Math.random() * paths.length)];
  return autocannon({
    url: baseUrl,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          const path = pick();
          requested?.add(path);
          return { ...request, path };
        },
      },
    ],
  });
}

/**
 * What the rounds drive: `load(seconds)` runs autocannon against it and resolves to the result,
 * `rssMiB()` reads its memory.
 */
function targetOf(kind, server, loadFor, rssMiB = () => memoryOf(server.pid).rssMiB) {
  return { kind, server, load: loadFor, rssMiB };
}

async function measureOnce(target, seconds) {
  const result = await target.load(seconds);
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
    rssMiB: round(target.rssMiB()),
  };
}

/**
 * Warms every target up, then measures them over ROUNDS rounds in alternating order (A B, B A, …);
 * the ratio of a round is the first target's req/s over the second's. `settle(target, round)`
 * runs after each warm-up and round of a target (round undefined after the warm-up), so that
 * work it left behind is done before the next target is measured.
 */
async function measureRounds(targets, settle = async () => undefined, seconds = DURATION_S) {
  for (const target of targets) {
    await target.load(WARMUP_S);
    await settle(target, undefined);
  }
  const measured = new Map(targets.map((target) => [target.kind, []]));
  const ratios = [];
  for (let index = 0; index < ROUNDS; index++) {
    const order = index % 2 === 0 ? targets : [...targets].reverse();
    for (const target of order) {
      const measurement = await measureOnce(target, seconds);
      measured.get(target.kind).push(measurement);
      await settle(target, measurement);
    }
    const [system, reference] = targets.map((target) => measured.get(target.kind)[index]);
    ratios.push(round(system.requestsPerSecond / reference.requestsPerSecond, 3));
    console.log(
      `  round ${index + 1}: ${order.map((t) => `${t.kind} ${measured.get(t.kind)[index].requestsPerSecond}`).join(', ')} req/s; ratio ${ratios[index]}`,
    );
  }
  return { measured, ratios };
}

/** One request's body: what the references answer, so both sides send the same bytes. */
async function bodyOf(server, path) {
  return (await answerOf(server, path)).body;
}

/** Set per connection or per answer, by any server: not copied into `fastify-headers`' answers. */
const OWN_HEADERS = new Set([
  'connection',
  'keep-alive',
  'date',
  'content-length',
  'content-type',
  'x-request-id',
]);

/** One answer's body, and the headers the app chose for it (security headers, caching...). */
async function answerOf(server, path) {
  const response = await fetch(`${server.baseUrl}${path}`);
  const body = await response.text();
  if (response.status !== 200)
    throw new Error(`${server.label} ${path} answered ${response.status}: ${body}`);
  const headers = Object.fromEntries(
    [...response.headers].filter(([name]) => !OWN_HEADERS.has(name)),
  );
  return { body, headers };
}

/** The median of the per-round ratios, and whether the rounds disagree about it. */
function ratioOf(ratios) {
  const ratio = median(ratios);
  const spread = ratios.length > 1 ? (Math.max(...ratios) - Math.min(...ratios)) / ratio : 0;
  return { ratio: round(ratio, 3), ratios, roundsDisagree: spread > DISAGREEMENT };
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

/**
 * An OTLP/HTTP endpoint on loopback that accepts span exports and discards them, counting the
 * export requests, so a traced run proves its spans left the app. Runs in this process (the load
 * generator's core), not on the server core.
 */
async function startOtlpSink() {
  let exports = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      exports += 1;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    exports: () => exports,
    close: () => new Promise((closed) => server.close(closed)),
  };
}

async function runScenario(scenario, seed) {
  const path = scenario.path(seed);
  console.log(`\n${scenario.name}: starting the app and ${scenario.references.join(', ')}`);
  const sink = scenario.tracing ? await startOtlpSink() : undefined;
  const { app } = await startApp({
    ...scenario.app,
    ...(sink ? { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url } : {}),
  });
  const { body, headers } = await answerOf(app, path); // for the product: also fills the cache
  const references = [];
  for (const kind of scenario.references) {
    const server = await startReference(kind, body, {
      REFERENCE_HEADERS: JSON.stringify(headers),
    });
    references.push({ kind, server });
  }
  for (const { server } of references)
    await waitFor200(server, path, { timeoutMs: 30_000, intervalMs: 50 });
  const paths = scenario.spread
    ? (await demoProductIds(DATABASE_URL, PRODUCTS)).map((id) => `/v1/products/${id}`)
    : undefined;
  const appRequested = new Set();
  const targets = [{ kind: 'app', server: app }, ...references].map(({ kind, server }) =>
    targetOf(kind, server, (seconds) =>
      paths
        ? loadSpread(server.baseUrl, paths, seconds, kind === 'app' ? appRequested : undefined)
        : load(`${server.baseUrl}${path}`, seconds),
    ),
  );
  const { measured, ratios } = await measureRounds(targets);
  // The measured route's request lines (a failing readiness poll at start-up is logged as well).
  const template = path.replace(seed.productId, ':id');
  const appRequestLines = readFileSync(app.logFile, 'utf8')
    .split('\n')
    .filter(
      (line) => line.includes('"request completed"') && line.includes(`"route":"${template}"`),
    ).length;
  for (const { server } of references) await stopServer(server);
  const stopped = await stopServer(app);
  // Tracing flushes its last spans on shutdown, so the count is read after the app stopped.
  const otlpExports = sink?.exports();
  await sink?.close();
  return {
    scenario: scenario.name,
    path: template,
    reference: REFERENCE_NAMES[scenario.references[0]],
    target: scenario.target,
    ...ratioOf(ratios),
    app: summarise(measured.get('app')),
    references: Object.fromEntries(
      scenario.references.map((kind) => [REFERENCE_NAMES[kind], summarise(measured.get(kind))]),
    ),
    appRequestLogLines: appRequestLines,
    ...(paths ? { appProductsRequested: appRequested.size } : {}),
    ...(otlpExports === undefined ? {} : { otlpExportRequests: otlpExports }),
    appShutdown: { code: stopped.code, forced: stopped.forced },
  };
}

/**
 * The search scenario: the app alone under SEARCH_CONNECTIONS connections cycling through
 * SEARCH_QUERIES, as many rounds as the others, judged by its p99. The CPU that other processes
 * used during each round is recorded: on a shared machine it explains a bad round.
 */
async function runSearchScenario(scenario, seed) {
  console.log(`\n${scenario.name}: starting the app over ${seed.products} products`);
  const { app } = await startApp(scenario.app ?? {});
  // A page of 10 so that the smoke run's 50 products still have a second page of `coffee`.
  const firstPage = JSON.parse(await bodyOf(app, '/v1/products?q=coffee&limit=10'));
  const cursor = firstPage.nextCursor;
  if (typeof cursor !== 'string') throw new Error('GET /v1/products?q=coffee gave no next cursor');
  const pathOf = (query) =>
    `/v1/products?${query
      .replace('{n}', String(1 + Math.floor(Math.random() * seed.products)))
      .replace('{cursor}', encodeURIComponent(cursor))}`;
  for (const query of SEARCH_QUERIES) await bodyOf(app, pathOf(query)); // each answers 200
  const requests = SEARCH_QUERIES.map((query) => ({
    method: 'GET',
    // A fresh product number per request; the other queries stay as they are.
    setupRequest: (request) => ({ ...request, path: pathOf(query) }),
  }));
  const searchLoad = (seconds) =>
    autocannon({
      url: `${app.baseUrl}/v1/products`,
      connections: SEARCH_CONNECTIONS,
      duration: seconds,
      timeout: 10,
      requests,
    });
  await searchLoad(WARMUP_S);
  const rounds = [];
  for (let index = 0; index < ROUNDS; index++) {
    const before = cpuSnapshot(app.pid);
    const result = await searchLoad(DURATION_S);
    const cpu = cpuBetween(before, cpuSnapshot(app.pid));
    rounds.push({
      requestsPerSecond: round(result.requests.average, 0),
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, p99_9: result.latency.p99_9 },
      requests: result.requests.total,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      rssMiB: round(memoryOf(app.pid).rssMiB),
      cpuCores: cpu,
    });
    console.log(
      `  round ${index + 1}: ${rounds[index].requestsPerSecond} req/s, p99 ${result.latency.p99} ms; ` +
        `cores: app ${cpu.app}, postgres ${cpu.postgres}, others ${cpu.other}`,
    );
  }
  const stopped = await stopServer(app);
  const p99s = rounds.map((r) => r.latencyMs.p99);
  return {
    scenario: scenario.name,
    path: '/v1/products?q=',
    products: seed.products,
    connections: SEARCH_CONNECTIONS,
    queries: SEARCH_QUERIES,
    p99TargetMs: scenario.p99TargetMs,
    p99s,
    app: summarise(rounds),
    otherCpuCores: rounds.map((r) => r.cpuCores.other),
    references: {},
    appShutdown: { code: stopped.code, forced: stopped.forced },
  };
}

/**
 * Starts the split stack (start-split.js, pinned like every server: its five apps and NGINX share
 * the server core) on a database and virtual host of its own, seeded with the same demo catalog.
 * What is to be undone afterwards goes on `undo`, as soon as it exists.
 */
async function startSplitStack(undo) {
  const resources = await prepareSplitStack(DATABASE_URL);
  undo.push(() => resources.remove());
  const env = appEnvironment(resources.gatewayPort, { ...APP_SETTINGS, ...resources.environment });
  const stack = startServer('split', [START_SPLIT], env);
  undo.push(() => stopServer(stack));
  await waitForSplitStack(stack, resources);
  // Once every app runs, the harness's stops (graceful or last-resort) end the whole tree.
  const killTree = splitStackKiller(stack.pid);
  const killStarter = stack.kill;
  stack.kill = () => {
    killStarter();
    killTree();
  };
  undo.push(async () => {
    await stopServer(stack);
    killTree();
  });
  execFileSync(process.execPath, [SEED_ENTRY, '--products', String(PRODUCTS)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { stack, resources };
}

/**
 * The systems an order scenario measures, first the one judged: the monolith and the SQL replay
 * reference, or the split stack and the monolith. Each holds its customers (their tokens) and the
 * database its orders go to (none for the reference, whose orders no saga follows). What is to be
 * undone afterwards (servers to stop, resources to remove) goes on `undo`.
 */
async function startOrderSystems(splitMode, referenceCustomerId, undo) {
  const { app: monolith, env } = await startApp({});
  undo.push(() => stopServer(monolith));
  const monolithSystem = {
    kind: splitMode ? 'monolith' : 'app',
    name: SYSTEM_NAMES.monolith,
    server: monolith,
    customers: await registerCustomers(monolith.baseUrl, 'monolith'),
    databaseUrl: DATABASE_URL,
    outboxOwner: env.SERVICE_NAME,
  };
  if (splitMode) {
    const { stack, resources } = await startSplitStack(undo);
    return [
      {
        kind: 'app',
        name: SYSTEM_NAMES.split,
        server: stack,
        customers: await registerCustomers(stack.baseUrl, 'split'),
        databaseUrl: resources.databaseUrl,
        rssMiB: () => treeRssMiB(stack.pid),
      },
      monolithSystem,
    ];
  }
  const reference = await startReference('fastify-pg-orders', undefined, {
    REFERENCE_CUSTOMER_ID: referenceCustomerId,
  });
  undo.push(async () => {
    await stopServer(reference);
    await removeReferenceOrders(DATABASE_URL, referenceCustomerId);
  });
  await waitFor200(reference, '/health', { timeoutMs: 30_000, intervalMs: 50 });
  // Sent the monolith's tokens, which it does not check: the same bytes as the app gets.
  return [
    monolithSystem,
    { kind: 'fastify-pg-orders', server: reference, customers: monolithSystem.customers },
  ];
}

/**
 * The order scenarios: a distinct valid order per request at ORDER_CONNECTIONS connections.
 * `orders`: the monolith against the SQL replay reference; `orders-split`: the split stack against
 * the monolith, both running at once. After every round of a system, the harness waits up to
 * DRAIN_TIMEOUT_MS for the saga behind its orders to settle (paid, events published, customers
 * notified) so that no backlog
 * runs on the server core while the other side is measured; after each of the reference's rounds
 * it deletes the outbox rows no relay publishes. Every round starts from a vacuumed database.
 */
async function runOrdersScenario(scenario) {
  const splitMode = scenario.system === 'split';
  console.log(
    `\n${scenario.name}: starting the ${splitMode ? 'split stack and the monolith' : 'monolith and the SQL replay reference'}`,
  );
  const restored = await restoreDemoStock(DATABASE_URL);
  if (restored > 0) console.log(`  stock of ${restored} demo products put back`);
  const productIds = await demoProductIds(DATABASE_URL, PRODUCTS);
  const referenceCustomerId = randomUUID();
  const undo = [];
  try {
    const systems = await startOrderSystems(splitMode, referenceCustomerId, undo);
    for (const system of systems)
      await placeOneOrder(system.server.baseUrl, system.customers[0], productIds);
    const targets = systems.map((system) =>
      targetOf(
        system.kind,
        system.server,
        (seconds) =>
          autocannon({
            url: system.server.baseUrl,
            connections: ORDER_CONNECTIONS,
            duration: seconds,
            timeout: 10,
            requests: orderRequests(system.customers, productIds),
          }),
        system.rssMiB,
      ),
    );
    const drains = new Map(systems.map((system) => [system.kind, []]));
    // Every round starts from a vacuumed database, as autovacuum keeps production's (vacuumDatabase).
    const databases = [
      ...new Set([DATABASE_URL, ...systems.map((system) => system.databaseUrl)]),
    ].filter((url) => url !== undefined);
    for (const url of databases) await vacuumDatabase(url);
    const settle = async (target, measurement) => {
      const system = systems.find((candidate) => candidate.kind === target.kind);
      if (system.databaseUrl === undefined) {
        await removeReferenceOutboxRows(DATABASE_URL);
        return vacuumDatabase(DATABASE_URL);
      }
      const drained = await drainSaga(
        system.databaseUrl,
        system.customers,
        DRAIN_TIMEOUT_MS,
        system.outboxOwner,
      );
      if (measurement !== undefined) drains.get(system.kind).push(drained);
      await vacuumDatabase(system.databaseUrl);
    };
    const { measured, ratios } = await measureRounds(targets, settle, ORDER_DURATION_S);
    const saga = Object.fromEntries(
      systems
        .filter((system) => system.databaseUrl !== undefined)
        .map((system) => [system.name, sagaOf(drains.get(system.kind))]),
    );
    const stopped = await stopServer(systems[0].server);
    return {
      scenario: scenario.name,
      path: '/v1/orders',
      system: SYSTEM_NAMES[scenario.system],
      connections: ORDER_CONNECTIONS,
      products: productIds.length,
      reference: REFERENCE_NAMES[scenario.references[0]],
      target: scenario.target,
      p99TargetMs: scenario.p99TargetMs,
      ...ratioOf(ratios),
      app: summarise(measured.get('app')),
      references: Object.fromEntries(
        scenario.references.map((kind) => [REFERENCE_NAMES[kind], summarise(measured.get(kind))]),
      ),
      saga,
      appShutdown: { code: stopped.code, forced: stopped.forced },
    };
  } finally {
    for (const step of undo.reverse()) await step(); // a stopped server stops at once
  }
}

/** What the payment saga did behind a system's rounds: the drain after each, the orders paid. */
function sagaOf(drains) {
  return {
    drainSeconds: drains.map((drained) => round(drained.waitedMs / 1000)),
    waitingAfterDrain: drains.map((drained) => drained.waiting),
    paid: drains.at(-1)?.paid ?? 0,
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
  const ratioRows = report.scenarios.filter(
    (row) => row.ratio !== undefined && row.saga === undefined,
  );
  const orderRows = report.scenarios.filter((row) => row.saga !== undefined);
  const latencyRows = report.scenarios.filter((row) => row.ratio === undefined);
  const cells = (label, m) =>
    `${label} | ${m.requestsPerSecond} | ${ms(m.latencyMs.p50)} | ${ms(m.latencyMs.p99)} | ${ms(m.latencyMs.p99_9)} | ${m.errors} | ${m.rssMiB}`;
  const lines = [
    `## ${report.date.slice(0, 16).replace('T', ' ')} UTC — npm run bench (${report.scenarios.map((row) => row.id).join(', ')})`,
    '',
    `**Machine**: ${host.nproc} × ${host.cpu}, ${host.memoryGiB} GiB, Node ${host.node}, kernel ${host.kernel}; ` +
      `load average ${host.loadAverage.join(' ')} at the start, ${report.loadAverageAtEnd.join(' ')} at the end. ` +
      `Commit ${report.commit}. ${report.settings.rounds} rounds of ${report.settings.durationSeconds} s, ` +
      `${report.settings.warmupSeconds} s warm-up; ` +
      (report.settings.appNodeArgs.length > 0
        ? `monolith started with \`node ${report.settings.appNodeArgs.join(' ')}\`; `
        : '') +
      (report.pinned
        ? 'servers on core 0, load generator on core 1 (taskset).'
        : 'unpinned (no taskset or one core).'),
  ];
  if (ratioRows.length > 0) {
    lines.push(
      '',
      `Ratios at ${report.settings.connections} connections:`,
      '',
      '| scenario | system / reference | req/s | p50 | p99 | p99.9 | errors | RSS MiB | ratio (rounds) | target |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const row of ratioRows) {
      const flag = row.roundsDisagree ? ' ⚠ rounds disagree' : '';
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
    );
  }
  if (orderRows.length > 0) {
    lines.push(
      '',
      `Orders at ${orderRows[0].connections} connections, each request a new order of 1-3 lines over ` +
        `${orderRows[0].products} products, the payment saga running behind every order:`,
      '',
      '| scenario | system / reference | req/s | p50 | p99 | p99.9 | errors | RSS MiB | ratio (rounds) | target |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const row of orderRows) {
      const flag = row.roundsDisagree ? ' ⚠ rounds disagree' : '';
      const met = row.app.latencyMs.p99 <= row.p99TargetMs ? 'met' : '**missed**';
      lines.push(
        `| \`POST ${row.path}\` ${row.id} | ${cells(row.system, row.app)} | **${row.ratio}** (${row.ratios.join(', ')})${flag} | ≥ ${row.target}; p99 ≤ ${row.p99TargetMs} ms: ${met} |`,
      );
      for (const [name, m] of Object.entries(row.references))
        lines.push(`| | ${cells(name, m)} | | |`);
    }
    lines.push(
      '',
      `Payment saga after each round (waited for, at most ${DRAIN_TIMEOUT_MS / 1000} s, before the next round):`,
      '',
    );
    for (const row of orderRows) {
      for (const [system, saga] of Object.entries(row.saga)) {
        lines.push(
          `- ${row.id}, ${system}: ${saga.paid} orders paid by the end; drain per round ` +
            `${saga.drainSeconds.join(', ')} s, backlog left after it (orders unpaid, events unpublished, notifications unsent) ${saga.waitingAfterDrain.join(', ')}.`,
        );
      }
    }
  }
  for (const row of latencyRows) {
    const met = row.app.latencyMs.p99 <= row.p99TargetMs ? 'met' : '**missed**';
    lines.push(
      '',
      `\`${row.path}\` over ${row.products} products, ${row.connections} connections cycling through ` +
        `${row.queries.map((query) => `\`${query}\``).join(', ')}:`,
      '',
      '| scenario | system | req/s | p50 | p99 | p99.9 | errors | RSS MiB | p99 per round | other processes, cores per round | target |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      `| search | ${cells('monolith', row.app)} | ${row.p99s.join(', ')} | ${row.otherCpuCores.join(', ')} | p99 ≤ ${row.p99TargetMs} ms: ${met} |`,
      '',
      'Latency in ms, medians over the rounds. "Other processes": CPU used meanwhile by everything but ' +
        "the app, Postgres, Redis and the load generator (other engineers' work on this shared machine).",
    );
  }
  lines.push('');
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
  for (const scenario of selected) {
    const result = scenario.latency
      ? await runSearchScenario(scenario, seed)
      : scenario.orders
        ? await runOrdersScenario(scenario)
        : await runScenario(scenario, seed);
    scenarios.push({ id: scenario.id, ...result });
  }
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
      products: seed.products,
      appNodeArgs: APP_NODE_ARGS,
    },
    scenarios,
  };
  // Formatted as Prettier would: a run's results are committed, and CI checks their format.
  await writeFormattedJson(resolve(RESULTS_DIR, 'results.json'), report);
  if (SMOKE) {
    // results.json only: what CI checks
  } else if (process.env.BENCH_RESULTS_DIR) {
    // A run kept apart from the committed results: its section goes beside its JSON.
    writeFileSync(resolve(RESULTS_DIR, 'RESULTS-section.md'), markdownSection(report));
  } else {
    await prependToResults(markdownSection(report));
  }
  console.log('');
  for (const row of scenarios) {
    const verdict =
      row.ratio === undefined
        ? `p99 per round ${row.p99s.join(', ')} ms, target p99 ≤ ${row.p99TargetMs} ms`
        : `ratio ${row.ratio} (${row.ratios.join(', ')})${row.roundsDisagree ? ' ROUNDS DISAGREE' : ''}, target ≥ ${row.target}`;
    console.log(
      `${row.scenario}: app ${row.app.requestsPerSecond} req/s p99 ${row.app.latencyMs.p99} ms; ${verdict}`,
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
