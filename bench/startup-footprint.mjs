// Start-up and memory footprint of every app (issue 7): the monolith and each split app (RMQ
// transport, as start-split runs them), the plain build and the single-file bundle. Per start:
// spawn() to the first 200 on /health/ready, the CPU seconds the process used by then, then
// BENCH_WARMUP_REQUESTS requests over the app's own routes, BENCH_IDLE_SECONDS of idling, and the
// resident memory (VmRSS) at that point. Runs rotate through apps and variants, so a machine
// getting busier spreads over all of them; medians over BENCH_STARTUP_RUNS.
// Run `npm run bundle` (it builds too), then `node bench/startup-footprint.mjs`.
// BENCH_APPS=monolith,catalog,... and BENCH_VARIANTS=plain,bundle,image pick what runs (image: the
// bundle with Node's compile cache made beforehand as the image build makes it, docs/adr/0056, and
// the node flags of the image's CMD); BENCH_NODE_ARGS='--max-semi-space-size=4' passes flags to
// node for every start, after the image's.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  adminAccessToken,
  appEnvironmentOf,
  entryOf,
  migrateAll,
  scratchBackends,
  seedDemoCatalog,
  SPLIT_APPS,
} from './split-apps.mjs';
import {
  deadline,
  freePort,
  imageNodeArgs,
  intSetting,
  killOnExit,
  machine,
  median,
  memoryOf,
  processTicks,
  round,
  spawnApp,
  stopApp,
  TICKS_PER_SECOND,
  waitFor200,
  writeResults,
} from './support.mjs';

const RUNS = intSetting('BENCH_STARTUP_RUNS', 3, 10);
const WARMUP_REQUESTS = intSetting('BENCH_WARMUP_REQUESTS', 2_000, 100_000);
const IDLE_SECONDS = intSetting('BENCH_IDLE_SECONDS', 10, 120);
const WARMUP_CONNECTIONS = 8;
const APPS = (process.env.BENCH_APPS ?? ['monolith', ...SPLIT_APPS].join(',')).split(',');
const VARIANTS = (process.env.BENCH_VARIANTS ?? 'plain,bundle').split(',');
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const DEMO_PRODUCTS = 50;

/** Issue 7's targets: ms to the first ready 200, MiB resident when idle after a warm-up. */
const TARGETS = {
  monolith: { readyMs: 1_500, idleRssMiB: 150 },
  split: { readyMs: 1_000, idleRssMiB: 120 },
};
const targetOf = (app) => (app === 'monolith' ? TARGETS.monolith : TARGETS.split);

/**
 * What each app serves, for the warm-up: its public reads and the authenticated lists of its
 * context (an admin token reaches them all), so that the routes a replica answers all day have
 * run before memory is read. `{product}` is a seeded product's id, `{uuid}` a random id.
 */
const ROUTES = {
  identity: ['/.well-known/jwks.json', '/v1/users/me', '/v1/users?limit=20'],
  catalog: ['/v1/products?limit=20', '/v1/products/{product}', '/v1/products?q=coffee'],
  orders: ['/v1/orders?limit=20'],
  payments: ['/v1/payments?orderId={uuid}'],
  notifications: ['/v1/notifications?limit=20'],
};
ROUTES.monolith = Object.values(ROUTES).flat();
for (const routes of Object.values(ROUTES)) routes.push('/health/ready', '/health/live');

let app;
killOnExit(() => (app ? [app] : []));
deadline(RUNS * APPS.length * VARIANTS.length * (IDLE_SECONDS + 40) * 1000 + 180_000, () =>
  app?.kill(),
);

/**
 * WARMUP_REQUESTS requests over `routes` from WARMUP_CONNECTIONS loops. Every route must answer
 * something other than a 5xx, 401 or 403 (a 404 for the token's user, who has no row, is fine):
 * a warm-up of refusals would leave the routes' code cold.
 */
async function warmUp(baseUrl, routes, token, productIds) {
  const statuses = {};
  let sent = 0;
  const loop = async () => {
    while (sent < WARMUP_REQUESTS) {
      const route = routes[sent % routes.length];
      sent += 1;
      const path = route
        .replace('{product}', productIds[sent % productIds.length])
        .replace('{uuid}', randomUUID());
      const response = await fetch(`${baseUrl}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await response.arrayBuffer();
      const key = `${route} ${response.status}`;
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: WARMUP_CONNECTIONS }, loop));
  const refused = Object.keys(statuses).filter((key) => /\s(5\d\d|401|403)$/.test(key));
  if (refused.length > 0) throw new Error(`warm-up answers: ${JSON.stringify(statuses)}`);
  return statuses;
}

const KNOWN_VARIANTS = ['plain', 'bundle', 'image'];
const IMAGE_NODE_ARGS = imageNodeArgs();
const entryOfVariant = (name, variant) => entryOf(name, { bundle: variant !== 'plain' });
/** Compile cache directories of the image variant, one per app, made once before the runs. */
const compileCaches = new Map();

async function measure(name, variant, backends, token, productIds) {
  const entry = entryOfVariant(name, variant);
  const environment = appEnvironmentOf(name, await freePort(), backends);
  if (variant === 'image') environment.NODE_COMPILE_CACHE = compileCaches.get(name);
  app = spawnApp(
    environment,
    variant === 'image' ? [...IMAGE_NODE_ARGS, ...NODE_ARGS] : NODE_ARGS,
    entry,
  );
  try {
    const readyMs = await waitFor200(app, '/health/ready', { timeoutMs: 60_000 });
    const cpuToReadyS = processTicks(app.pid).ticks / TICKS_PER_SECOND;
    const rssAtReadyMiB = memoryOf(app.pid).rssMiB;
    const statuses = await warmUp(app.baseUrl, ROUTES[name], token, productIds);
    await new Promise((wait) => setTimeout(wait, IDLE_SECONDS * 1000));
    const { rssMiB, peakRssMiB } = memoryOf(app.pid);
    return {
      readyMs: round(readyMs, 0),
      cpuToReadyS: round(cpuToReadyS, 2),
      rssAtReadyMiB: round(rssAtReadyMiB),
      idleRssMiB: round(rssMiB),
      peakRssMiB: round(peakRssMiB),
      statuses,
    };
  } finally {
    const stopped = await stopApp(app);
    if (stopped.code !== 0 || stopped.forced) {
      console.error(`${name} (${variant}) exited ${stopped.code} on SIGTERM:\n${app.output()}`);
    }
  }
}

const statsOf = (values) => ({
  median: round(median(values), 2),
  min: Math.min(...values),
  max: Math.max(...values),
});

async function main() {
  for (const name of APPS) {
    if (!ROUTES[name]) throw new Error(`unknown app ${name}; apps: ${Object.keys(ROUTES)}`);
    for (const variant of VARIANTS) {
      if (!KNOWN_VARIANTS.includes(variant)) {
        throw new Error(`unknown variant ${variant}; variants: ${KNOWN_VARIANTS}`);
      }
      const entry = entryOfVariant(name, variant);
      if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run bundle\` first`);
    }
  }
  const host = machine();
  console.log(
    `${host.nproc} CPUs, Node ${host.node}, load average ${host.loadAverage.join(' ')}; ` +
      `${RUNS} runs, warm-up ${WARMUP_REQUESTS} requests, idle ${IDLE_SECONDS} s` +
      (NODE_ARGS.length ? `, node ${NODE_ARGS.join(' ')}` : '') +
      (VARIANTS.includes('image') ? `; image: node ${IMAGE_NODE_ARGS.join(' ')}` : ''),
  );
  const backends = await scratchBackends('startup');
  try {
    await migrateAll(backends);
    if (VARIANTS.includes('image')) {
      const { fillCompileCache } = await import('../dist/scripts/bundle/compile-cache.js');
      for (const name of APPS) {
        const directory = mkdtempSync(join(tmpdir(), `compile-cache-${name}-`));
        compileCaches.set(name, directory);
        fillCompileCache(entryOfVariant(name, 'image'), directory);
      }
    }
    const productIds = await seedDemoCatalog(backends, DEMO_PRODUCTS, 10);
    const token = await adminAccessToken();
    const samples = new Map();
    const loads = [];
    for (let run = 0; run < RUNS; run++) {
      loads.push(machine().loadAverage[0]);
      for (const name of APPS) {
        for (const variant of VARIANTS) {
          const sample = await measure(name, variant, backends, token, productIds);
          const key = `${name} ${variant}`;
          samples.set(key, [...(samples.get(key) ?? []), sample]);
          console.log(
            `run ${run + 1} ${key.padEnd(22)} ready ${String(sample.readyMs).padStart(5)} ms, ` +
              `CPU ${sample.cpuToReadyS} s, RSS ready ${sample.rssAtReadyMiB} → idle ${sample.idleRssMiB} MiB ` +
              `(peak ${sample.peakRssMiB})`,
          );
        }
      }
    }
    loads.push(machine().loadAverage[0]);

    const rows = [...samples].map(([key, runs]) => {
      const [name, variant] = key.split(' ');
      const target = targetOf(name);
      const readyMs = statsOf(runs.map((sample) => sample.readyMs));
      const idleRssMiB = statsOf(runs.map((sample) => sample.idleRssMiB));
      return {
        app: name,
        variant,
        readyMs,
        cpuToReadyS: statsOf(runs.map((sample) => sample.cpuToReadyS)),
        rssAtReadyMiB: statsOf(runs.map((sample) => sample.rssAtReadyMiB)),
        idleRssMiB,
        peakRssMiB: statsOf(runs.map((sample) => sample.peakRssMiB)),
        target,
        readyMet: readyMs.median <= target.readyMs,
        idleRssMet: idleRssMiB.median <= target.idleRssMiB,
        runs: runs.map(({ statuses: _statuses, ...figures }) => figures),
        warmUpStatuses: runs[0].statuses,
      };
    });
    console.log(`\nmedian (min–max) over ${RUNS} runs; load average (1 min) ${loads.join(' → ')}`);
    const cell = (stats, met) =>
      `${stats.median} (${stats.min}–${stats.max})${met === undefined ? '' : met ? ' met' : ' MISSED'}`;
    const table = [
      ['app', 'variant', 'ready ms', 'CPU to ready s', 'idle RSS MiB', 'peak RSS MiB'],
      ...rows.map((row) => [
        row.app,
        row.variant,
        cell(row.readyMs, row.readyMet),
        cell(row.cpuToReadyS),
        cell(row.idleRssMiB, row.idleRssMet),
        cell(row.peakRssMiB),
      ]),
    ];
    const widths = table[0].map((_, column) =>
      Math.max(...table.map((line) => line[column].length)),
    );
    for (const line of table) {
      console.log(line.map((text, column) => text.padEnd(widths[column])).join('  '));
    }
    const file = await writeResults('startup-footprint', {
      benchmark: 'startup-footprint',
      date: new Date().toISOString(),
      machine: host,
      loadAverages: loads,
      settings: {
        runs: RUNS,
        warmUpRequests: WARMUP_REQUESTS,
        idleSeconds: IDLE_SECONDS,
        nodeArgs: NODE_ARGS,
        imageNodeArgs: IMAGE_NODE_ARGS,
      },
      rows,
    });
    console.log(`\nresults: ${file}`);
  } finally {
    await backends.remove();
    for (const directory of compileCaches.values()) rmSync(directory, { recursive: true });
  }
}

try {
  await main();
} catch (error) {
  app?.kill();
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
