import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

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

/** Keeps the output of a child spawned with piped stdout/stderr and tells when it ended. */
export function trackProcess(child: ChildProcess): SpawnedProcess {
  let output = '';
  let ended = false;
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) =>
    child.once('exit', (code) => {
      ended = true;
      done(code);
    }),
  );
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

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
