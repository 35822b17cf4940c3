// Each app as the plain build (dist/apps/<app>/src/main.js with dist/libs and every production
// dependency) against its single-file bundle (dist/bundle/<app>/main.mjs with only the packages
// it loads at run time): what the image's /app holds, and the time from spawn() to the first 200
// on /health/live. Run `npm run bundle` first, then `node bench/bundle-cold-start.mjs`.
// BENCH_COLD_RUNS starts per variant; BENCH_APPS=monolith,catalog,... picks the apps.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ROOT,
  appEnvironment,
  deadline,
  ensureDatabaseExists,
  freePort,
  intSetting,
  machine,
  median,
  round,
  spawnApp,
  stopApp,
  waitFor200,
  writeResults,
} from './support.mjs';

const RUNS = intSetting('BENCH_COLD_RUNS', 3, 10);
const APPS = (
  process.env.BENCH_APPS ?? 'monolith,identity,catalog,orders,payments,notifications'
).split(',');
const BUNDLER = resolve(ROOT, 'dist/scripts/bundle/bundle-apps.js');

let running;
deadline(600_000, () => running?.kill());

/** Bytes of every file under `path` (apparent size, as a layer stores them). */
function bytesUnder(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.size;
  return readdirSync(path).reduce((sum, entry) => sum + bytesUnder(join(path, entry)), 0);
}

const packagesBytes = (names) =>
  names.reduce((sum, name) => sum + bytesUnder(join(ROOT, 'node_modules', name)), 0);
const mib = (bytes) => round(bytes / 1024 / 1024, 1);

/**
 * CPU seconds (user + system) the process has used so far, from /proc. Unlike wall time it hardly
 * moves with what else the machine runs, so it compares the variants on a busy machine too.
 */
function cpuSecondsOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function coldStart(entry) {
  const samples = [];
  const cpu = [];
  for (let index = 0; index < RUNS; index++) {
    const env = appEnvironment(await freePort(), { DATABASE_RUN_MIGRATIONS: 'false' });
    running = spawnApp(env, [], entry);
    try {
      samples.push(await waitFor200(running, '/health/live', { timeoutMs: 60_000 }));
      cpu.push(cpuSecondsOf(running.pid));
    } finally {
      await stopApp(running);
    }
  }
  return {
    median: round(median(samples), 0),
    min: round(Math.min(...samples), 0),
    cpuMedianS: round(median(cpu), 2),
    samples,
    cpu,
  };
}

async function main() {
  if (!existsSync(BUNDLER)) throw new Error('run `npm run bundle` first');
  const { runtimeDependencyClosure } = await import(BUNDLER);
  await ensureDatabaseExists();
  const host = machine();
  console.log(`${host.nproc} CPUs, Node ${host.node}, load ${host.loadAverage.join(' ')}`);
  const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const productionBytes = packagesBytes(runtimeDependencyClosure(Object.keys(dependencies)));
  const libsBytes = bytesUnder(join(ROOT, 'dist/libs'));

  // Not counted: applies pending migrations once and warms the disk cache.
  running = spawnApp(appEnvironment(await freePort()));
  await waitFor200(running, '/health/ready', { timeoutMs: 60_000 });
  await stopApp(running);

  const rows = [];
  for (const app of APPS) {
    const bundleDirectory = join(ROOT, 'dist/bundle', app);
    const runtimePackages = readFileSync(join(bundleDirectory, 'runtime-packages.txt'), 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    const bundleFiles = ['main.mjs', 'migrate.mjs'].map((file) => join(bundleDirectory, file));
    const row = {
      app,
      plainMiB: mib(bytesUnder(join(ROOT, 'dist/apps', app)) + libsBytes + productionBytes),
      bundleMiB: mib(
        bundleFiles.reduce((sum, file) => sum + bytesUnder(file), 0) +
          packagesBytes(runtimePackages),
      ),
      mainMjsMiB: mib(bytesUnder(bundleFiles[0])),
      plain: await coldStart(join(ROOT, 'dist/apps', app, 'src/main.js')),
      bundle: await coldStart(bundleFiles[0]),
    };
    rows.push(row);
    console.log(
      `${app.padEnd(14)} /app ${String(row.plainMiB).padStart(6)} → ${String(row.bundleMiB).padStart(5)} MiB` +
        ` (main.mjs ${row.mainMjsMiB} MiB); first 200 ${row.plain.median} → ${row.bundle.median} ms` +
        ` (min ${row.plain.min} → ${row.bundle.min}); CPU to first 200 ${row.plain.cpuMedianS} → ${row.bundle.cpuMedianS} s`,
    );
  }
  const file = await writeResults('bundle-cold-start', {
    benchmark: 'bundle-cold-start',
    date: new Date().toISOString(),
    machine: host,
    runs: RUNS,
    rows,
  });
  console.log(`\nresults: ${file}`);
}

try {
  await main();
} catch (error) {
  running?.kill();
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
