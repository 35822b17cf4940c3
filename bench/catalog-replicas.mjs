// One catalog replica against two behind the split gateway (issue 7: "1 → 2 replicas of catalog
// behind the gateway: report the factor and what limited it"). Starts two catalog apps in split
// mode (one service name, so they share their queues, as replicas do) on a database and a
// RabbitMQ virtual host of the run's own, and two NGINX gateways rendered from
// docker/nginx/split-gateway.conf.template: one whose catalog upstream holds the first replica,
// one whose upstream holds both. Per scenario it loads the gateways in alternating rounds
// (1, 2, 2, 1, ...) at fixed connections and reports req/s, latency, the factor 2 ÷ 1 of each
// pair of rounds, and the cores each part used (each replica, the gateway, Redis, PostgreSQL,
// this process as load generator, anything else): on 2 cores they all share them.
// Run `npm run build`, then `node bench/catalog-replicas.mjs`.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import {
  appEnvironmentOf,
  entryOf,
  migrateAll,
  scratchBackends,
  seedDemoCatalog,
} from './split-apps.mjs';
import {
  deadline,
  freePort,
  intSetting,
  killOnExit,
  machine,
  median,
  processTicks,
  round,
  ROOT,
  stopApp,
  TICKS_PER_SECOND,
  trackApp,
  waitFor200,
  writeResults,
} from './support.mjs';

const ROUNDS = intSetting('BENCH_ROUNDS', 4, 10);
const DURATION_S = intSetting('BENCH_DURATION', 10, 30);
const WARMUP_S = 5;
const PRODUCTS = intSetting('BENCH_REPLICA_PRODUCTS', 10_000, 1_000_000);
const CACHED_PRODUCTS = 100;
const SCENARIOS = [
  {
    id: 'product-cached',
    name: 'GET /v1/products/:id, cache hit',
    connections: intSetting('BENCH_CONNECTIONS', 50, 200),
    path: (ids) => `/v1/products/${ids[Math.floor(Math.random() * ids.length)]}`,
  },
  {
    id: 'search',
    name: 'GET /v1/products?q=',
    connections: 20,
    // Common, rare and absent words, a sort, a product number: the kinds run.mjs's mix holds.
    path: () =>
      `/v1/products?${
        [
          'q=coffee',
          'q=kettle',
          `q=${1 + Math.floor(Math.random() * PRODUCTS)}`,
          'q=organic%20mug',
          'q=bicycle',
          'q=teapot&sort=price&order=asc',
          'q=espresso',
        ][Math.floor(Math.random() * 7)]
      }`,
  },
].filter(
  (scenario) => !process.env.BENCH_SCENARIOS || process.env.BENCH_SCENARIOS.includes(scenario.id),
);

const SPLIT_STACK = resolve(ROOT, 'dist/scripts/split-stack/split-stack.js');
const processes = [];
killOnExit(() => processes);
deadline(SCENARIOS.length * (2 * WARMUP_S + 2 * ROUNDS * DURATION_S) * 1000 + 300_000, () =>
  processes.forEach((child) => child.kill()),
);

/** A catalog replica in split mode whose log lines (one per request) go to a file, not to us. */
async function startReplica(environment, directory, index) {
  const logFile = join(directory, `catalog-${index}.log`);
  const fd = openSync(logFile, 'w');
  const port = await freePort();
  const child = spawn(process.execPath, [entryOf('catalog')], {
    cwd: ROOT,
    env: { ...environment, HTTP_PORT: String(port) },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const replica = trackApp(child, port, performance.now(), () =>
    readFileSync(logFile, 'utf8').slice(-10_000),
  );
  processes.push(replica);
  await waitFor200(replica, '/health/ready', { timeoutMs: 60_000 });
  return { replica, port };
}

/** Every process on the machine: pid, parent pid, command name and CPU ticks so far. */
function processTable() {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return {
          pid,
          parent: stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1],
          ...processTicks(pid),
        };
      } catch {
        return undefined; // ended meanwhile
      }
    })
    .filter((entry) => entry !== undefined);
}

/** CPU seconds so far per part: each replica, the gateways (master and workers), Redis, ... */
function cpuByPart(replicas, gateways) {
  const table = processTable();
  const gatewayPids = new Set(gateways.map((gateway) => String(gateway.pid)));
  const parts = { replica1: 0, replica2: 0, gateway: 0, redis: 0, postgres: 0 };
  for (const { pid, parent, name, ticks } of table) {
    const seconds = ticks / TICKS_PER_SECOND;
    if (pid === String(replicas[0].pid)) parts.replica1 += seconds;
    else if (pid === String(replicas[1].pid)) parts.replica2 += seconds;
    else if (gatewayPids.has(pid) || gatewayPids.has(parent)) parts.gateway += seconds;
    else if (name === 'redis-server') parts.redis += seconds;
    else if (name === 'postgres') parts.postgres += seconds;
  }
  const self = process.cpuUsage();
  parts.loadGenerator = (self.user + self.system) / 1e6;
  const [, ...times] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const busy = times.reduce((sum, value) => sum + Number(value), 0) - +times[3] - +times[4];
  parts.machine = busy / TICKS_PER_SECOND;
  return { at: performance.now(), parts };
}

/** Average cores per part between two readings; `other` is what the rest of the machine used. */
function coresBetween(before, after) {
  const seconds = (after.at - before.at) / 1000;
  const cores = Object.fromEntries(
    Object.keys(after.parts).map((part) => [
      part,
      round((after.parts[part] - before.parts[part]) / seconds, 2),
    ]),
  );
  const ours = Object.entries(cores)
    .filter(([part]) => part !== 'machine')
    .reduce((sum, [, value]) => sum + value, 0);
  return { ...cores, other: round(Math.max(0, cores.machine - ours), 2) };
}

async function load(gateway, scenario, ids, seconds) {
  const result = await autocannon({
    url: gateway,
    connections: scenario.connections,
    duration: seconds,
    timeout: 10,
    requests: [
      { method: 'GET', setupRequest: (request) => ({ ...request, path: scenario.path(ids) }) },
    ],
  });
  return result;
}

async function runScenario(scenario, gateways, replicas, ids) {
  console.log(`\n${scenario.name}, ${scenario.connections} connections`);
  for (const gateway of gateways) {
    const answer = await fetch(`${gateway.url}${scenario.path(ids)}`);
    if (answer.status !== 200) throw new Error(`${scenario.name} answered ${answer.status}`);
    await load(gateway.url, scenario, ids, WARMUP_S);
  }
  const rounds = [];
  for (let index = 0; index < ROUNDS; index++) {
    // 1, 2 then 2, 1: a machine getting busier weighs on both sides of every pair alike.
    const order = index % 2 === 0 ? [0, 1] : [1, 0];
    const pair = {};
    for (const which of order) {
      const before = cpuByPart(
        replicas,
        gateways.map((gateway) => gateway.process),
      );
      const result = await load(gateways[which].url, scenario, ids, DURATION_S);
      const cores = coresBetween(
        before,
        cpuByPart(
          replicas,
          gateways.map((gateway) => gateway.process),
        ),
      );
      const failed = result.errors + result.timeouts + result.non2xx;
      pair[which === 0 ? 'one' : 'two'] = {
        requestsPerSecond: round(result.requests.average, 0),
        latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
        failed,
        cores,
      };
      console.log(
        `  round ${index + 1}, ${which + 1} replica(s): ${round(result.requests.average, 0)} req/s, ` +
          `p99 ${result.latency.p99} ms, failed ${failed}; cores ${JSON.stringify(cores)}`,
      );
    }
    pair.factor = round(pair.two.requestsPerSecond / pair.one.requestsPerSecond, 2);
    rounds.push(pair);
  }
  const medianOf = (side, pick) => round(median(rounds.map((pair) => pick(pair[side]))), 2);
  const summary = (side) => ({
    requestsPerSecond: medianOf(side, (figures) => figures.requestsPerSecond),
    p50Ms: medianOf(side, (figures) => figures.latencyMs.p50),
    p99Ms: medianOf(side, (figures) => figures.latencyMs.p99),
    failed: rounds.reduce((sum, pair) => sum + pair[side].failed, 0),
    cores: Object.fromEntries(
      Object.keys(rounds[0][side].cores).map((part) => [
        part,
        medianOf(side, (figures) => figures.cores[part]),
      ]),
    ),
  });
  return {
    scenario: scenario.id,
    name: scenario.name,
    connections: scenario.connections,
    factor: round(median(rounds.map((pair) => pair.factor)), 2),
    factors: rounds.map((pair) => pair.factor),
    oneReplica: summary('one'),
    twoReplicas: summary('two'),
    rounds,
  };
}

async function main() {
  const { spawnGateway } = await import(SPLIT_STACK);
  const host = machine();
  console.log(
    `${host.nproc} CPUs, Node ${host.node}, load average ${host.loadAverage.join(' ')}; ` +
      `${ROUNDS} rounds of ${DURATION_S} s per side, ${PRODUCTS} products`,
  );
  const directory = mkdtempSync(join(tmpdir(), 'bench-replicas-'));
  const backends = await scratchBackends('replicas');
  try {
    await migrateAll(backends);
    const ids = await seedDemoCatalog(backends, PRODUCTS, CACHED_PRODUCTS);
    // As production runs: a log line per request (to a file), throttling counted in Redis with a
    // limit that never refuses, the cache on.
    const environment = appEnvironmentOf('catalog', 0, backends, {
      LOG_LEVEL: 'info',
      THROTTLE_LIMIT: '100000000',
    });
    const started = [
      await startReplica(environment, directory, 1),
      await startReplica(environment, directory, 2),
    ];
    const replicas = started.map(({ replica }) => replica);
    const ports = started.map(({ port }) => port);
    // Only catalog routes are loaded; the other apps' upstreams point at a closed port.
    const nowhere = '127.0.0.1:9';
    const gateways = [];
    for (const servers of [[ports[0]], ports]) {
      const gatewayDirectory = mkdtempSync(join(directory, 'gateway-'));
      const port = await freePort();
      const upstreams = {
        identity: nowhere,
        // The template has one `server ${CATALOG_UPSTREAM};` line: a second replica is a second
        // `server` directive inside that value (as test/support/split-stack.ts does).
        catalog: servers.map((server) => `127.0.0.1:${server}`).join('; server '),
        orders: nowhere,
        payments: nowhere,
        notifications: nowhere,
      };
      const child = spawnGateway(gatewayDirectory, port, upstreams, {
        perIpLimit: { ratePerSecond: 1_000_000, burst: 1_000_000 },
      });
      let output = '';
      child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-5_000)));
      const gateway = trackApp(child, port, performance.now(), () => output);
      processes.push(gateway);
      await waitFor200(gateway, '/nginx-health', { timeoutMs: 10_000 });
      gateways.push({ url: gateway.baseUrl, process: gateway });
    }

    const results = [];
    const loads = [machine().loadAverage[0]];
    for (const scenario of SCENARIOS) {
      results.push(await runScenario(scenario, gateways, replicas, ids));
      loads.push(machine().loadAverage[0]);
    }
    console.log(`\nload average (1 min) ${loads.join(' → ')}`);
    for (const result of results) {
      console.log(
        `${result.name}: 1 replica ${result.oneReplica.requestsPerSecond} req/s (p99 ${result.oneReplica.p99Ms} ms), ` +
          `2 replicas ${result.twoReplicas.requestsPerSecond} req/s (p99 ${result.twoReplicas.p99Ms} ms): ` +
          `factor ${result.factor} (${result.factors.join(', ')})`,
      );
      for (const side of ['oneReplica', 'twoReplicas']) {
        console.log(`  cores, ${side}: ${JSON.stringify(result[side].cores)}`);
      }
    }
    const file = await writeResults('catalog-replicas', {
      benchmark: 'catalog-replicas',
      date: new Date().toISOString(),
      machine: host,
      loadAverages: loads,
      settings: { rounds: ROUNDS, durationSeconds: DURATION_S, products: PRODUCTS },
      results,
    });
    console.log(`\nresults: ${file}`);
  } finally {
    for (const child of processes) await stopApp(child);
    await backends.remove();
    rmSync(directory, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  processes.forEach((child) => child.kill());
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
