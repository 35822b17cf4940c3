import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appEntry,
  gatewayAccessLog,
  isPortFree,
  nginxUnavailable,
  REPO_ROOT,
  SPLIT_APPS,
  type SplitApp,
  spawnGateway,
  type Upstreams,
  waitForOk,
} from './split-stack.js';

// `npm run start:split` (after `npm run build`): migrates each context with its own app's
// migrate.js, starts the five apps on consecutive ports over RabbitMQ and the NGINX gateway in
// front of them, prefixes every line of output with its process, and stops everything on Ctrl-C
// or SIGTERM. Ports: SPLIT_GATEWAY_PORT (8080) and SPLIT_FIRST_APP_PORT (3001, then 3002...).
// The gateway's coarse per-IP limit (20 requests/s, bursts of 40, as deployed) can be raised with
// SPLIT_GATEWAY_RATE_PER_IP and SPLIT_GATEWAY_BURST, for load from one address such as a benchmark.
// SPLIT_GATEWAY_NGINX names the nginx to run when it is not in /usr/sbin, /usr/local/sbin or PATH.

const label = (name: string): string => `${`[${name}]`.padEnd(15)} `;
const say = (line: string): void => void process.stdout.write(`${label('start-split')}${line}\n`);

/** A positive whole number from the environment, or `fallback`; anything else stops the script. */
function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) {
    say(`${name} must be a positive whole number, not "${raw}"`);
    process.exit(1);
  }
  return value;
}

const gatewayPort = Number(process.env.SPLIT_GATEWAY_PORT ?? 8080);
const firstAppPort = Number(process.env.SPLIT_FIRST_APP_PORT ?? 3001);
// Unset, the gateway keeps gateway-common.conf's limit (20/s, bursts of 40).
const perIpLimit =
  process.env.SPLIT_GATEWAY_RATE_PER_IP || process.env.SPLIT_GATEWAY_BURST
    ? {
        ratePerSecond: positiveInteger('SPLIT_GATEWAY_RATE_PER_IP', 20),
        burst: positiveInteger('SPLIT_GATEWAY_BURST', 40),
      }
    : undefined;
const host = '127.0.0.1';
const portOf = (app: SplitApp): number => firstAppPort + SPLIT_APPS.indexOf(app);

/** Writes each complete line a stream delivers with the process's name in front. */
function prefixLines(name: string, stream: NodeJS.ReadableStream | null): void {
  let partial = '';
  stream?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) process.stdout.write(`${label(name)}${line}\n`);
  });
}

/** The environment of one app: the caller's, with what split mode fixes on top. */
const appEnvironment = (app: SplitApp): NodeJS.ProcessEnv => ({
  ...process.env,
  SERVICE_NAME: app,
  HTTP_HOST: host,
  HTTP_PORT: String(portOf(app)),
  MESSAGING_TRANSPORT: 'rmq',
  // The gateway is the one proxy in front; the apps migrated before they start.
  HTTP_TRUST_PROXY: '1',
  DATABASE_RUN_MIGRATIONS: 'false',
  // Only identity signs; the others verify through its key set, so its keys can rotate freely.
  ...(app !== 'identity' && {
    JWT_JWKS_URL: `http://${host}:${portOf('identity')}/.well-known/jwks.json`,
  }),
});

function runToEnd(app: SplitApp): Promise<number | null> {
  const child = spawn(process.execPath, [appEntry(app, 'migrate'), '--create-database'], {
    cwd: REPO_ROOT,
    env: appEnvironment(app),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prefixLines(`${app} migrate`, child.stdout);
  prefixLines(`${app} migrate`, child.stderr);
  return new Promise((done) => child.once('exit', done));
}

const running = new Map<string, ChildProcess>();
let stopping = false;
/** Started (a child that failed to spawn has no pid and sends no 'exit') and not ended yet. */
const isRunning = (child: ChildProcess): boolean =>
  child.pid !== undefined && child.exitCode === null && child.signalCode === null;
// However this script ends (a crash included; SIGKILL aside), no app outlives it: an orphaned
// stack keeps consuming from the broker and its queues in Redis, taking work meant for the next.
process.once('exit', () => {
  for (const child of running.values()) if (isRunning(child)) child.kill('SIGTERM');
});

async function stopAll(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('stopping every process');
    await Promise.all(
      [...running.values()].map(
        (child) =>
          new Promise<void>((done) => {
            if (!isRunning(child)) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      ),
    );
  }
  process.exit(exitCode);
}

async function main(): Promise<void> {
  const wanted: [string, number][] = [
    ['gateway', gatewayPort],
    ...SPLIT_APPS.map((app): [string, number] => [app, portOf(app)]),
  ];
  for (const [name, port] of wanted) {
    if (!(await isPortFree(port, host))) {
      say(
        `port ${port} (${name}) is taken: stop what listens there, or choose other ports with ` +
          'SPLIT_GATEWAY_PORT / SPLIT_FIRST_APP_PORT',
      );
      process.exit(1);
    }
  }
  const noGateway = nginxUnavailable();
  if (noGateway !== undefined) {
    say(
      `the gateway needs nginx, which cannot run (${noGateway}): install it (Debian: ` +
        'apt-get install nginx) or give its path in SPLIT_GATEWAY_NGINX',
    );
    process.exit(1);
  }
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  for (const app of SPLIT_APPS) {
    const code = await runToEnd(app);
    if (code !== 0) {
      say(`migrating ${app} failed (exit ${code})`);
      process.exit(1);
    }
  }

  let ready = false;
  for (const app of SPLIT_APPS) {
    const child = spawn(process.execPath, [appEntry(app)], {
      cwd: REPO_ROOT,
      env: appEnvironment(app),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    watch(app, child, () => ready);
  }
  const gatewayDirectory = mkdtempSync(join(tmpdir(), 'split-gateway-'));
  process.once('exit', () => rmSync(gatewayDirectory, { recursive: true, force: true }));
  const upstreams = Object.fromEntries(
    SPLIT_APPS.map((app) => [app, `${host}:${portOf(app)}`]),
  ) as Upstreams;
  watch(
    'gateway',
    spawnGateway(gatewayDirectory, gatewayPort, upstreams, { perIpLimit }),
    () => ready,
  );
  followFile('gateway', gatewayAccessLog(gatewayDirectory));

  const answering = await Promise.all([
    ...SPLIT_APPS.map((app) =>
      waitForOk(`http://${host}:${portOf(app)}/health/ready`, {
        timeoutMs: 60_000,
        stopped: () => stopping,
      }),
    ),
    waitForOk(`http://${host}:${gatewayPort}/nginx-health`, {
      timeoutMs: 60_000,
      stopped: () => stopping,
    }),
  ]);
  if (answering.includes(false)) {
    say('the stack did not become ready in 60 s');
    await stopAll(1);
  }
  ready = true;
  say(`ready: the gateway answers on http://${host}:${gatewayPort}`);
  for (const app of SPLIT_APPS) say(`  ${app.padEnd(14)} http://${host}:${portOf(app)}`);
  say('Ctrl-C stops everything');
}

/** Prefixes a child's output; an exit during start-up stops the stack, later only reports it. */
function watch(name: string, child: ChildProcess, isReady: () => boolean): void {
  running.set(name, child);
  prefixLines(name, child.stdout);
  prefixLines(name, child.stderr);
  // A process that could not be spawned at all emits 'error', and perhaps no 'exit'.
  child.once('error', (error) => {
    if (stopping) return;
    say(`${name} could not be started: ${error.message}`);
    void stopAll(1);
  });
  child.once('exit', (code, signal) => {
    if (stopping) return;
    if (!isReady()) {
      say(`${name} exited during start-up (${signal ?? `exit ${code}`})`);
      void stopAll(1);
      return;
    }
    say(`${name} exited (${signal ?? `exit ${code}`}); the others keep running`);
  });
}

/** Prints what is appended to a file (the gateway's access log), a line at a time. */
function followFile(name: string, file: string): void {
  let offset = 0;
  const timer = setInterval(() => {
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return; // not created yet
    }
    if (size <= offset) return;
    const buffer = Buffer.alloc(size - offset);
    const descriptor = openSync(file, 'r');
    readSync(descriptor, buffer, 0, buffer.length, offset);
    closeSync(descriptor);
    offset = size;
    for (const line of buffer.toString().split('\n')) {
      if (line) process.stdout.write(`${label(name)}${line}\n`);
    }
  }, 500);
  timer.unref();
}

await main();
