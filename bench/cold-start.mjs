// Cold start of the built monolith: time from spawn() to the first 200 on /health/live (HTTP is
// served) and on /health/ready (Postgres and Redis answer), with `node -e 0` as the floor.
// Run `npm run build` first, then `node bench/cold-start.mjs`. BENCH_COLD_RUNS starts per variant.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  appEnvironment,
  assertBuilt,
  deadline,
  ensureDatabaseExists,
  freePort,
  intSetting,
  killOnExit,
  machine,
  median,
  round,
  spawnApp,
  stopApp,
  waitFor200,
  writeResults,
} from './support.mjs';

const RUNS = intSetting('BENCH_COLD_RUNS', 5, 10);

const VARIANTS = [
  { name: 'migrations at start (default)', env: {} },
  // Production applies migrations as a separate step (npm run db:migrate) before the rollout.
  { name: 'no migrations at start', env: { DATABASE_RUN_MIGRATIONS: 'false' } },
];

let app;
killOnExit(() => (app ? [app] : []));
deadline(170_000, () => app?.kill());

async function nodeFloor() {
  const startedAt = performance.now();
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await once(child, 'exit');
  return performance.now() - startedAt;
}

async function coldStart(env) {
  app = spawnApp(appEnvironment(await freePort(), env));
  try {
    const liveMs = await waitFor200(app, '/health/live');
    const readyMs = await waitFor200(app, '/health/ready');
    const stopped = await stopApp(app);
    if (stopped.code !== 0 || stopped.forced) {
      throw new Error(`the app exited ${stopped.code} on SIGTERM; output:\n${app.output()}`);
    }
    return { liveMs, readyMs, shutdownMs: stopped.shutdownMs };
  } finally {
    app.kill();
  }
}

const summary = (values) => ({
  median: round(median(values), 0),
  min: round(Math.min(...values), 0),
  max: round(Math.max(...values), 0),
});

async function main() {
  assertBuilt();
  await ensureDatabaseExists();
  const host = machine();
  console.log(
    `${host.nproc} CPUs, Node ${host.node}, load average ${host.loadAverage.join(' ')}; ${RUNS} runs each\n`,
  );

  const floor = [];
  for (let run = 0; run < RUNS; run++) floor.push(await nodeFloor());

  // One start that is not counted: it applies any pending migration and warms the disk cache.
  await coldStart({});

  const rows = [{ name: 'node -e 0 (exit)', live: summary(floor) }];
  const runs = { nodeFloorMs: floor.map((ms) => round(ms, 0)) };
  for (const variant of VARIANTS) {
    const samples = [];
    for (let run = 0; run < RUNS; run++) samples.push(await coldStart(variant.env));
    runs[variant.name] = samples.map((sample) => ({
      liveMs: round(sample.liveMs, 0),
      readyMs: round(sample.readyMs, 0),
      shutdownMs: round(sample.shutdownMs, 0),
    }));
    rows.push({
      name: variant.name,
      live: summary(samples.map((sample) => sample.liveMs)),
      ready: summary(samples.map((sample) => sample.readyMs)),
      shutdown: summary(samples.map((sample) => sample.shutdownMs)),
    });
  }

  const cell = (stats) => (stats ? `${stats.median} (${stats.min}–${stats.max})` : '—');
  const header = ['start', 'first 200 live ms', 'first 200 ready ms', 'SIGTERM→exit ms'];
  const lines = rows.map((row) => [row.name, cell(row.live), cell(row.ready), cell(row.shutdown)]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column].length)),
  );
  const format = (cells) =>
    cells.map((text, column) =>
      column === 0 ? text.padEnd(widths[column]) : text.padStart(widths[column]),
    );
  console.log('median (min–max) over', RUNS, 'runs, from spawn()');
  console.log(format(header).join('  '));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(format(line).join('  '));

  const file = await writeResults('cold-start', {
    benchmark: 'cold-start',
    date: new Date().toISOString(),
    machine: host,
    runsPerVariant: RUNS,
    summary: rows,
    runs,
  });
  console.log(`\nresults: ${file}`);
}

try {
  await main();
} catch (error) {
  app?.kill();
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
