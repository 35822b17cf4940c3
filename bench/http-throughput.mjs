// HTTP throughput and latency of the built monolith on 127.0.0.1, one autocannon round per route.
// Run `npm run build` first, then `node bench/http-throughput.mjs`. Bounded: a few rounds of
// BENCH_DURATION seconds each and a hard deadline; the app is stopped with SIGTERM at the end.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import {
  appEnvironment,
  assertBuilt,
  cpuBetween,
  cpuSnapshot,
  deadline,
  ensureDatabaseExists,
  freePort,
  intSetting,
  killOnExit,
  machine,
  memoryOf,
  round,
  spawnApp,
  stopApp,
  waitFor200,
  writeResults,
} from './support.mjs';

const DURATION_S = intSetting('BENCH_DURATION', 10, 30);
const CONNECTIONS = intSetting('BENCH_CONNECTIONS', 50, 200);
const WARMUP_S = 2;
/** A full page for the list round, whatever else the shared test database holds. */
const SEEDED_PRODUCTS = 20;

const ROUTES = [
  { name: 'health/live', path: '/health/live', what: 'framework floor: no guard work, no I/O' },
  {
    name: 'product by id',
    path: (seed) => `/v1/products/${seed.productId}`,
    what: 'cache-aside hit (Redis GET) + throttle counter (Redis)',
  },
  {
    name: 'product list',
    path: `/v1/products?limit=${SEEDED_PRODUCTS}`,
    what: 'Postgres keyset page of 20 + throttle counter',
  },
  {
    name: 'users/me',
    path: '/v1/users/me',
    auth: true,
    what: 'RS256 JWT verification + user row by id + throttle counter',
  },
];

let app;
killOnExit(() => (app ? [app] : []));
deadline(150_000, () => app?.kill());

async function call(path, { method = 'GET', token, json, form } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let body;
  if (json) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) {
    body = new URLSearchParams(form);
  }
  const response = await fetch(`${app.baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Everything the rounds need, created through the public API as a client would. */
async function seed(admin) {
  // The bootstrap admin is created during start-up; its token is the signal that it exists.
  let token;
  for (let attempt = 0; attempt < 50 && !token; attempt++) {
    const reply = await call('/v1/auth/token', {
      method: 'POST',
      form: { grant_type: 'password', username: admin.email, password: admin.password },
    });
    if (reply.status === 200) token = reply.body.access_token;
    else await new Promise((wait) => setTimeout(wait, 200));
  }
  if (!token) throw new Error('the bootstrap admin never got a token');

  const run = randomUUID().slice(0, 8).toUpperCase();
  let productId;
  for (let index = 0; index < SEEDED_PRODUCTS; index++) {
    const reply = await call('/v1/products', {
      method: 'POST',
      token,
      json: {
        sku: `BENCH-${run}-${index}`,
        name: `Bench mug ${index}`,
        description: 'Stoneware, 350 ml, created by bench/http-throughput.mjs',
        price: { amountMinor: 1999 + index, currency: 'EUR' },
        stock: 1000,
      },
    });
    if (reply.status !== 201) {
      throw new Error(`POST /v1/products answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    }
    productId ??= reply.body.id;
  }
  return { token, productId };
}

function load(url, headers, seconds) {
  return autocannon({ url, headers, connections: CONNECTIONS, duration: seconds, timeout: 10 });
}

async function measure(route, seed) {
  const path = typeof route.path === 'function' ? route.path(seed) : route.path;
  const headers = route.auth ? { authorization: `Bearer ${seed.token}` } : {};
  // One request first: it must succeed, and for the product it fills the cache.
  const probe = await call(path, { token: route.auth ? seed.token : undefined });
  if (probe.status !== 200) throw new Error(`${path} answered ${probe.status} before the round`);
  await load(`${app.baseUrl}${path}`, headers, WARMUP_S);
  const cpuBefore = cpuSnapshot(app.pid);
  const result = await load(`${app.baseUrl}${path}`, headers, DURATION_S);
  const cpuCores = cpuBetween(cpuBefore, cpuSnapshot(app.pid));
  return {
    route: route.name,
    path: path.replace(seed.productId, ':id'),
    what: route.what,
    requestsPerSecond: round(result.requests.average, 0),
    latencyMs: {
      p50: result.latency.p50,
      p97_5: result.latency.p97_5,
      p99: result.latency.p99,
      average: round(result.latency.average, 2),
      max: result.latency.max,
    },
    requests: result.requests.total,
    // autocannon counts timeouts among the errors as well.
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    cpuCores,
    memoryAfterRound: memoryOf(app.pid),
  };
}

function printTable(rows) {
  const header = [
    'route',
    'req/s',
    'p50 ms',
    'p97.5 ms',
    'p99 ms',
    'errors',
    'non-2xx',
    'RSS MiB',
    'CPU app/pg/redis/loadgen/other',
  ];
  const lines = rows.map((row) => [
    row.route,
    String(row.requestsPerSecond),
    String(row.latencyMs.p50),
    String(row.latencyMs.p97_5),
    String(row.latencyMs.p99),
    String(row.errors),
    String(row.non2xx),
    String(round(row.memoryAfterRound.rssMiB)),
    [
      row.cpuCores.app,
      row.cpuCores.postgres,
      row.cpuCores.redis,
      row.cpuCores.loadGenerator,
      row.cpuCores.other,
    ].join(' / '),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column].length)),
  );
  const format = (cells) =>
    cells.map((cell, column) =>
      (column === 0 ? cell.padEnd : cell.padStart).call(cell, widths[column]),
    );
  console.log(format(header).join('  '));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(format(line).join('  '));
}

async function main() {
  assertBuilt();
  await ensureDatabaseExists();
  const host = machine();
  console.log(
    `${host.nproc} CPUs, Node ${host.node}, load average ${host.loadAverage.join(' ')}; ` +
      `${CONNECTIONS} connections, ${DURATION_S} s per route (+${WARMUP_S} s warm-up)`,
  );

  const admin = {
    email: `bench-admin-${randomUUID().slice(0, 8)}@example.test`,
    password: randomUUID(),
  };
  app = spawnApp(
    appEnvironment(await freePort(), {
      // High enough that the limiter counts every request (its cost is measured) but never rejects.
      THROTTLE_LIMIT: '100000000',
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
    }),
  );
  const readyMs = await waitFor200(app, '/health/ready');
  const seeded = await seed(admin);
  const memoryBefore = memoryOf(app.pid);
  console.log(
    `ready after ${round(readyMs, 0)} ms; RSS before load ${round(memoryBefore.rssMiB)} MiB\n`,
  );

  const rows = [];
  for (const route of ROUTES) rows.push(await measure(route, seeded));
  const memoryAfter = memoryOf(app.pid);

  const stopped = await stopApp(app);
  printTable(rows);
  console.log(
    'CPU: cores busy during the measured round (1 = one core). pg and redis: every such process; ' +
      'other: the rest of the machine (should be ~0 on a quiet machine)',
  );
  console.log(
    `\nRSS: ${round(memoryBefore.rssMiB)} MiB before load, ${round(memoryAfter.rssMiB)} MiB after, ` +
      `peak ${round(memoryAfter.peakRssMiB)} MiB`,
  );
  console.log(
    `SIGTERM: exit code ${stopped.code}${stopped.signal ? ` (signal ${stopped.signal})` : ''} ` +
      `after ${round(stopped.shutdownMs, 0)} ms${stopped.forced ? ' (killed: did not exit in time)' : ''}`,
  );

  const report = {
    benchmark: 'http-throughput',
    date: new Date().toISOString(),
    machine: host,
    settings: { connections: CONNECTIONS, durationSeconds: DURATION_S, warmupSeconds: WARMUP_S },
    readyMs: round(readyMs, 0),
    memoryMiB: {
      beforeLoad: round(memoryBefore.rssMiB),
      afterLoad: round(memoryAfter.rssMiB),
      peak: round(memoryAfter.peakRssMiB),
    },
    shutdown: { code: stopped.code, signal: stopped.signal, ms: round(stopped.shutdownMs, 0) },
    routes: rows,
  };
  const file = await writeResults('http-throughput', report);
  console.log(`results: ${file}`);

  const failed = rows.some((row) => row.errors + row.non2xx > 0);
  if (stopped.code !== 0 || stopped.forced) {
    console.error('the app did not exit 0 on SIGTERM');
    process.exitCode = 1;
  } else if (failed) {
    console.error('some requests failed: see errors/non-2xx');
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (error) {
  app?.kill();
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
