// Helpers shared by the benchmark scripts: start the built monolith as a real process on
// 127.0.0.1, wait for its probes, read its memory, stop it. Plain Node, no build step.
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { format, resolveConfig } from 'prettier';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const MONOLITH_ENTRY = resolve(ROOT, 'dist/apps/monolith/src/main.js');
export const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/commerce_test';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** Reads a positive integer setting, clamped so that a typo cannot start an unbounded run. */
export function intSetting(name, fallback, max) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number.parseInt(raw, 10);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return Math.min(value, max);
}

/** The flags docker/Dockerfile's CMD gives node (`exec node --flag=value ... "dist/bundle/..."`). */
export function imageNodeArgs() {
  const dockerfile = readFileSync(resolve(ROOT, 'docker/Dockerfile'), 'utf8');
  return (/exec node ((?:--[a-z-]+=\S+ )*)/.exec(dockerfile)?.[1] ?? '').split(' ').filter(Boolean);
}

/**
 * Flags for node from BENCH_NODE_ARGS (space-separated; set but empty: none), else the image's:
 * the apps are measured as production starts them unless a run asks otherwise.
 */
export function nodeArgsSetting() {
  const requested = process.env.BENCH_NODE_ARGS;
  return requested === undefined ? imageNodeArgs() : requested.split(' ').filter(Boolean);
}

export function assertBuilt() {
  if (!existsSync(MONOLITH_ENTRY)) {
    throw new Error(`${MONOLITH_ENTRY} is missing: run \`npm run build\` first`);
  }
}

/** Same as libs/database's ensureDatabaseExists, without loading the built app. */
export async function ensureDatabaseExists(url = DATABASE_URL) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const server = new URL(url);
  server.pathname = '/postgres';
  const client = new pg.Client({ connectionString: server.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

let keys;

/** One RS256 pair per run, passed by environment so the app never writes dev keys to disk. */
function keyPair() {
  if (!keys) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keys = {
      privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
  }
  return keys;
}

/**
 * The app's environment. A unique SERVICE_NAME keeps this run's rate-limit counters in Redis apart
 * from every other app on the machine.
 */
export function appEnvironment(port, overrides = {}) {
  const { privateKeyPem, publicKeyPem } = keyPair();
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    SERVICE_NAME: `bench-${randomUUID().slice(0, 8)}`,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(port),
    DATABASE_URL,
    REDIS_URL,
    LOG_LEVEL: 'warn',
    JWT_ISSUER: 'http://commerce.bench',
    JWT_AUDIENCE: 'commerce-api',
    JWT_PRIVATE_KEY: privateKeyPem,
    JWT_PUBLIC_KEY: publicKeyPem,
    SHUTDOWN_GRACE_MS: '5000',
    // No proxy in front: the harness's idle connections are closed at once, as before the wait.
    SHUTDOWN_IDLE_CONNECTION_WAIT_MS: '0',
    ...overrides,
  };
}

/**
 * Spawns the built monolith. The clock starts right before spawn(), so the time to the first 200
 * includes Node's own start-up, as a container restart would. `nodeArgs` go to node itself, e.g.
 * `--cpu-prof`, which NODE_OPTIONS does not accept. `entry` runs another app or a bundle.
 */
export function spawnApp(env, nodeArgs = [], entry = MONOLITH_ENTRY) {
  const port = Number(env.HTTP_PORT);
  const startedAt = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    // The tail is enough to explain a failed start; a chatty app must not grow this without bound.
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return trackApp(child, port, startedAt, () => output);
}

/**
 * The handle the scripts drive a spawned server through: when it exited, whether it still runs,
 * its output's tail, and a SIGKILL that spares an ended process.
 */
export function trackApp(child, port, startedAt, output) {
  const exited = new Promise((done) =>
    child.once('exit', (code, signal) => done({ code, signal, at: performance.now() })),
  );
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    pid: child.pid,
    baseUrl: `http://127.0.0.1:${port}`,
    startedAt,
    exited,
    running,
    output,
    kill: () => {
      if (running()) child.kill('SIGKILL');
    },
  };
}

/** Polls a probe until it answers 200; returns the time since spawn in ms. */
export async function waitFor200(app, path, { timeoutMs = 30_000, intervalMs = 10 } = {}) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (!app.running()) {
      throw new Error(`app exited before ${path} answered 200; output:\n${app.output()}`);
    }
    try {
      const response = await fetch(`${app.baseUrl}${path}`);
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - app.startedAt;
    } catch {
      // not listening yet
    }
    await new Promise((wait) => setTimeout(wait, intervalMs));
  }
  throw new Error(`${path} did not answer 200 within ${timeoutMs} ms; output:\n${app.output()}`);
}

/** SIGTERM, then the exit code and how long the graceful shutdown took; SIGKILL after timeoutMs. */
export async function stopApp(app, timeoutMs = 15_000) {
  if (!app.running()) return { ...(await app.exited), shutdownMs: 0, forced: false };
  const sentAt = performance.now();
  app.child.kill('SIGTERM');
  let timer;
  const timedOut = new Promise((done) => (timer = setTimeout(() => done('timeout'), timeoutMs)));
  const outcome = await Promise.race([app.exited, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    app.kill();
    const killed = await app.exited;
    return { ...killed, shutdownMs: killed.at - sentAt, forced: true };
  }
  return { ...outcome, shutdownMs: outcome.at - sentAt, forced: false };
}

/** Resident and peak resident memory of a process, in MiB, from /proc (Linux only). */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
}

/** Linux's USER_HZ: /proc reports CPU time in these ticks (`getconf CLK_TCK`). */
export const TICKS_PER_SECOND = 100;

/** A process's command name and the CPU ticks (user + system) it used so far. */
export function processTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; the numeric fields start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
      ticks: +fields[11] + +fields[12],
    };
  } catch {
    return { name: '', ticks: 0 }; // the process ended meanwhile
  }
}

/**
 * CPU time used so far by the app, by every postgres and redis-server process (those include
 * other users of the shared services, if any), by this script (the load generator) and by the
 * whole machine. Two snapshots make a `cpuBetween` reading.
 */
export function cpuSnapshot(appPid) {
  const services = { postgres: 0, redis: 0 };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const { name, ticks } = processTicks(entry);
    if (name === 'postgres') services.postgres += ticks;
    else if (name === 'redis-server') services.redis += ticks;
  }
  const [, ...times] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const total = times.reduce((sum, value) => sum + Number(value), 0);
  const idle = Number(times[3]) + Number(times[4]);
  const self = process.cpuUsage();
  return {
    at: performance.now(),
    app: processTicks(appPid).ticks / TICKS_PER_SECOND,
    postgres: services.postgres / TICKS_PER_SECOND,
    redis: services.redis / TICKS_PER_SECOND,
    loadGenerator: (self.user + self.system) / 1e6,
    machineBusy: (total - idle) / TICKS_PER_SECOND,
  };
}

/** Average cores used between two snapshots, per consumer (1.0 = one core fully busy). */
export function cpuBetween(before, after) {
  const seconds = (after.at - before.at) / 1000;
  const cores = (key) => (after[key] - before[key]) / seconds;
  const known = cores('app') + cores('postgres') + cores('redis') + cores('loadGenerator');
  return {
    app: round(cores('app'), 2),
    postgres: round(cores('postgres'), 2),
    redis: round(cores('redis'), 2),
    loadGenerator: round(cores('loadGenerator'), 2),
    // Anything else on the machine: a high value means the numbers are not from a quiet machine.
    other: round(Math.max(0, cores('machineBusy') - known), 2),
    machine: round(cores('machineBusy'), 2),
  };
}

export function machine() {
  return {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    kernel: os.release(),
    loadAverage: os.loadavg().map((load) => Number(load.toFixed(2))),
  };
}

/** Kills the app if this script dies or is interrupted: a benchmark must never leave it running. */
export function killOnExit(getApps) {
  const killAll = () => getApps().forEach((app) => app.kill());
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** A hard deadline for the whole script, so that a hung app cannot keep it running. */
export function deadline(ms, onExpire) {
  setTimeout(() => {
    console.error(`benchmark exceeded its ${ms / 1000} s budget; stopping`);
    onExpire();
    process.exit(1);
  }, ms).unref();
}

export const round = (value, digits = 1) => Number(value.toFixed(digits));

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Writes a run's JSON under bench/results/ (ignored by git), formatted by Prettier so that
 * `prettier --check .` stays green on a machine that ran the benchmarks. Returns the path.
 */
export async function writeResults(benchmark, report) {
  const directory = resolve(ROOT, 'bench/results');
  mkdirSync(directory, { recursive: true });
  const file = resolve(
    directory,
    `${benchmark}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  );
  await writeFormattedJson(file, report);
  return file;
}

/** Writes `value` as JSON the way Prettier formats it, so `prettier --check .` stays green. */
export async function writeFormattedJson(file, value) {
  const options = (await resolveConfig(file)) ?? {};
  const json = await format(JSON.stringify(value, null, 2), {
    ...options,
    parser: 'json',
    filepath: file,
  });
  writeFileSync(file, json);
}
