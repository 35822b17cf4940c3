import { type ChildProcess, spawn } from 'node:child_process';
import { isPortFree } from '../../scripts/split-stack/split-stack.js';

/** A child process of a test, with everything it wrote kept for assertions and failure messages. */
export interface SpawnedProcess {
  readonly child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr). */
  logs(): string;
  /** Sends the signal (SIGTERM by default) unless it already ended; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  readonly exited: Promise<number | null>;
  hasExited(): boolean;
}

export function spawnProcess(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  cwd: string,
): SpawnedProcess {
  return trackProcess(spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }));
}

const OUTPUT_DRAIN_LIMIT_MS = 5_000;

/** Keeps the output of a child spawned with piped stdout/stderr and tells when it ended. */
export function trackProcess(child: ChildProcess): SpawnedProcess {
  let output = '';
  let ended = false;
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => {
    // 'exit' can come before the last output is read from the pipes; 'close' waits for it, but a
    // grandchild holding the pipes (epmd beside RabbitMQ) may hold 'close' back, so it is waited
    // for a few seconds at most.
    child.once('close', (code) => done(code));
    child.once('exit', (code) => {
      ended = true;
      setTimeout(() => done(code), OUTPUT_DRAIN_LIMIT_MS).unref();
    });
    // A child that could not be spawned (its command missing: ENOENT) emits no 'exit': it counts
    // as ended at once, with the reason in its output, so a stack waiting on it fails fast.
    child.once('error', (error) => {
      if (child.pid !== undefined) return;
      output += `could not start ${child.spawnfile}: ${error.message}\n`;
      ended = true;
      done(null);
    });
  });
  return {
    child,
    exited,
    logs: () => output,
    hasExited: () => ended,
    stop: async (signal = 'SIGTERM') => {
      if (!ended) child.kill(signal);
      return exited;
    },
  };
}

// Below Linux's ephemeral range (32768-60999): a port handed to a child that binds it later must
// not be taken meanwhile as the local port of some outgoing connection (to Postgres, Redis,
// RabbitMQ...), which is what a port picked with listen(0) and released invites on a busy machine.
// A taken pick is skipped: isPortFree answers false rather than throwing (a pick of RabbitMQ's
// 25672 once failed a suite when the check threw EADDRINUSE).
const PORT_RANGE = { first: 20_000, last: 32_767 };
const handedOut = new Set<number>();

/** A port nothing listens on now, outside the ephemeral range, never handed out twice by this worker. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port =
      PORT_RANGE.first + Math.floor(Math.random() * (PORT_RANGE.last - PORT_RANGE.first + 1));
    if (handedOut.has(port) || !(await isPortFree(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port in ${PORT_RANGE.first}-${PORT_RANGE.last}`);
}
