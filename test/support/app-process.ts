import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDatabaseExists } from '#lib/database';
import { TEST_DATABASE_URL, testAppEnvironment } from './test-environment.js';

// import.meta.dirname is not available under Jest 29's ESM runtime.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const MONOLITH_ENTRY = resolve(ROOT, 'dist/apps/monolith/src/main.js');

export interface RunningApp {
  readonly baseUrl: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr), one JSON log line per line. */
  logs(): string;
  /** Sends the signal (SIGTERM by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

let databaseReady: Promise<boolean> | undefined;

/** A fresh machine has no test database yet; the first app a worker starts creates it. */
export const testDatabaseReady = (): Promise<boolean> =>
  (databaseReady ??= ensureDatabaseExists(TEST_DATABASE_URL));

export interface StartOptions {
  /** Which probe must answer 200 before the app counts as started. */
  waitFor?: 'live' | 'ready';
  timeoutMs?: number;
  entry?: string;
}

/** Spawns the built app as a real process on a free port: e2e tests speak real HTTP to it. */
export async function startApp(
  env: Record<string, string> = {},
  { waitFor = 'ready', timeoutMs = 30_000, entry = MONOLITH_ENTRY }: StartOptions = {},
): Promise<RunningApp> {
  await testDatabaseReady();
  const port = await freePort();
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      ...testAppEnvironment({ HTTP_PORT: String(port), ...env }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const baseUrl = `http://127.0.0.1:${port}`;
  const app: RunningApp = {
    baseUrl,
    port,
    child,
    exited,
    logs: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };

  const deadline = Date.now() + timeoutMs;
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  while (Date.now() < deadline && !exitedEarly) {
    try {
      const response = await fetch(`${baseUrl}/health/${waitFor}`);
      if (response.status === 200) return app;
    } catch {
      // not listening yet
    }
    await new Promise((wait) => setTimeout(wait, 100));
  }
  await app.stop('SIGKILL');
  throw new Error(`app did not become ${waitFor} (exit ${child.exitCode}); output:\n${output}`);
}

/** Runs the app to its exit without waiting for HTTP: for start-up refusal tests. */
export async function runAppToExit(
  env: Record<string, string>,
  timeoutMs = 15_000,
  entry = MONOLITH_ENTRY,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...testAppEnvironment(env) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, output };
}
