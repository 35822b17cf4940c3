import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForOk } from '../../scripts/split-stack/split-stack.js';
import { e2eMode } from './e2e-mode.js';
import { freePort, spawnProcess } from './spawned-process.js';
import { startSplitStack } from './split-stack.js';
import { testDatabaseReady } from './test-database.js';
import { testAppEnvironment } from './test-environment.js';

export { freePort } from './spawned-process.js';
export { testDatabaseReady } from './test-database.js';

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
  /**
   * Where the process that runs `context` answers directly, for what the gateway does not publish
   * (its /metrics, /health): the monolith's own URL, or in split mode that context's app.
   */
  urlOf(context: ContextName): string;
}

export type ContextName = 'identity' | 'catalog' | 'orders' | 'payments' | 'notifications';

export interface StartOptions {
  /** Which probe must answer 200 before the app counts as started. */
  waitFor?: 'live' | 'ready';
  timeoutMs?: number;
  entry?: string;
}

/**
 * Starts what the e2e suite tests and resolves once it answers: the built monolith as a real
 * process on a free port, or, in the `e2e-split` jest project, the five apps behind the gateway
 * (test/support/split-stack.ts). Either way the tests speak real HTTP to `baseUrl`.
 */
export async function startApp(
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<RunningApp> {
  if (e2eMode() === 'split' && options.entry === undefined) return startSplitStack(env, options);
  return startMonolith(env, options);
}

async function startMonolith(
  env: Record<string, string>,
  { waitFor = 'ready', timeoutMs = 60_000, entry = MONOLITH_ENTRY }: StartOptions,
): Promise<RunningApp> {
  await testDatabaseReady();
  const port = await freePort();
  const monolith = spawnProcess(
    process.execPath,
    [entry],
    { PATH: process.env.PATH ?? '', ...testAppEnvironment({ HTTP_PORT: String(port), ...env }) },
    ROOT,
  );
  const app: RunningApp = {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    child: monolith.child,
    exited: monolith.exited,
    logs: monolith.logs,
    stop: monolith.stop,
    urlOf: () => `http://127.0.0.1:${port}`,
  };
  if (
    await waitForOk(`${app.baseUrl}/health/${waitFor}`, { timeoutMs, stopped: monolith.hasExited })
  ) {
    return app;
  }
  await app.stop('SIGKILL');
  throw new Error(
    `app did not become ${waitFor} (exit ${monolith.child.exitCode}); output:\n${monolith.logs()}`,
  );
}

/** Runs the app to its exit without waiting for HTTP: for start-up refusal tests. */
export async function runAppToExit(
  env: Record<string, string>,
  timeoutMs = 15_000,
  entry = MONOLITH_ENTRY,
): Promise<{ code: number | null; output: string }> {
  const app = spawnProcess(
    process.execPath,
    [entry],
    { PATH: process.env.PATH ?? '', ...testAppEnvironment(env) },
    ROOT,
  );
  const timer = setTimeout(() => void app.stop('SIGKILL'), timeoutMs);
  const code = await app.exited;
  clearTimeout(timer);
  return { code, output: app.logs() };
}
