import { execFile, spawn } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { ensureDatabaseExists } from '#lib/database';
import { freePort, type SpawnedProcess, trackProcess } from './spawned-process.js';

// Fault suites take a service down; the shared PostgreSQL, Redis and RabbitMQ on their default
// ports serve every other test running at the same time and must never be touched. Each suite
// starts its own instance here on free ports, points the apps under test at it, stops and starts
// it by PID, and removes it (process and files) in afterAll.

const run = promisify(execFile);

/** One service of a suite's own: where it answers, and its outage switch. */
export interface PrivateService {
  readonly url: string;
  readonly port: number;
  /** Whether its process is running now. */
  isRunning(): boolean;
  /** Ends its process (SIGTERM: an orderly stop; SIGKILL: a crash) and waits until it exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data, and waits until it answers. */
  start(): Promise<void>;
  /** Stops it and deletes its files: for afterAll. */
  remove(): Promise<void>;
}

export interface PrivateRabbitmq extends PrivateService {
  /** Raises (true) or clears (false) the memory alarm: the broker blocks every publisher. */
  setMemoryAlarm(raised: boolean): Promise<void>;
}

const started = new Set<SpawnedProcess>();
// Should a test worker end without its afterAll, no private service outlives it.
process.once('exit', () => {
  for (const child of started) if (!child.hasExited()) child.child.kill('SIGKILL');
});

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

async function waitUntil(
  ready: () => Promise<boolean>,
  what: string,
  child: SpawnedProcess,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.hasExited()) throw new Error(`${what} exited on start:\n${child.logs()}`);
    if (await ready()) return;
    await sleep(100);
  }
  throw new Error(`${what} did not start within ${timeoutMs} ms:\n${child.logs()}`);
}

/**
 * One service process, restartable: `launch` spawns it, `ready` tells when it answers, `kill`
 * signals the process that really serves (which may be a grandchild of `launch`'s).
 */
function restartable(options: {
  readonly what: string;
  readonly url: string;
  readonly port: number;
  readonly directory: string;
  readonly launch: () => SpawnedProcess;
  readonly ready: () => Promise<boolean>;
  readonly kill?: (signal: NodeJS.Signals, child: SpawnedProcess) => void;
}): PrivateService & { start(): Promise<void> } {
  let current: SpawnedProcess | undefined;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const child = current;
    if (!child || child.hasExited()) return;
    if (options.kill) options.kill(signal, child);
    else child.child.kill(signal);
    const exited = await Promise.race([
      child.exited.then(() => true),
      sleep(30_000, false, { ref: false }),
    ]);
    if (!exited) {
      child.child.kill('SIGKILL');
      await child.exited;
    }
    started.delete(child);
  };
  return {
    url: options.url,
    port: options.port,
    isRunning: () => current !== undefined && !current.hasExited(),
    stop,
    async start() {
      if (current && !current.hasExited()) return;
      current = options.launch();
      started.add(current);
      await waitUntil(options.ready, options.what, current);
    },
    async remove() {
      await stop('SIGKILL');
      rmSync(options.directory, { recursive: true, force: true });
    },
  };
}

export async function userIds(user: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', user]), run('id', ['-g', user])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** The newest PostgreSQL installed the Debian way (/usr/lib/postgresql/<major>/bin). */
export function postgresBinary(name: string): string {
  const majors = readdirSync('/usr/lib/postgresql').filter((entry) => /^\d+$/.test(entry));
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) throw new Error('no PostgreSQL under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${newest}/bin/${name}`;
}

/**
 * A throwaway PostgreSQL cluster (initdb into a temporary directory, fsync off) with the database
 * `commerce` created; the apps migrate it themselves on start. initdb and postgres refuse to run
 * as root, so both run as the `postgres` user, in a directory it owns.
 */
export async function startPrivatePostgres(): Promise<PrivateService> {
  const directory = mkdtempSync(join(tmpdir(), 'private-postgres-'));
  const owner = await userIds('postgres');
  chownSync(directory, owner.uid, owner.gid);
  const data = join(directory, 'data');
  await run(
    postgresBinary('initdb'),
    ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'],
    { ...owner, cwd: directory, timeout: 60_000 },
  );
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/commerce`;
  const service = restartable({
    what: `private PostgreSQL on ${port}`,
    url,
    port,
    directory,
    launch: () =>
      trackProcess(
        spawn(
          postgresBinary('postgres'),
          [
            ...['-D', data, '-p', String(port), '-k', directory],
            ...['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200'],
          ],
          { ...owner, cwd: directory, stdio: ['ignore', 'pipe', 'pipe'] },
        ),
      ),
    ready: async () => {
      try {
        await run('pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-q']);
        return true;
      } catch {
        return false;
      }
    },
    // SIGINT is PostgreSQL's fast shutdown (SIGTERM waits for every client to leave).
    kill: (signal, child) => child.child.kill(signal === 'SIGTERM' ? 'SIGINT' : signal),
  });
  try {
    await service.start();
    await ensureDatabaseExists(url);
    return service;
  } catch (error) {
    await service.remove();
    throw error;
  }
}

/** A Redis of its own; append-only with fsync on every write, so a restart keeps queued jobs. */
export async function startPrivateRedis(): Promise<PrivateService> {
  const directory = mkdtempSync(join(tmpdir(), 'private-redis-'));
  const port = await freePort();
  const service = restartable({
    what: `private Redis on ${port}`,
    url: `redis://127.0.0.1:${port}/0`,
    port,
    directory,
    launch: () =>
      trackProcess(
        spawn(
          'redis-server',
          [
            ...['--port', String(port), '--bind', '127.0.0.1', '--dir', directory],
            ...['--save', '', '--appendonly', 'yes', '--appendfsync', 'always'],
            ...['--daemonize', 'no'],
          ],
          { cwd: directory, stdio: ['ignore', 'pipe', 'pipe'] },
        ),
      ),
    ready: async () => {
      try {
        const { stdout } = await run('redis-cli', ['-p', String(port), 'ping']);
        return stdout.trim() === 'PONG';
      } catch {
        return false;
      }
    },
  });
  try {
    await service.start();
    return service;
  } catch (error) {
    await service.remove();
    throw error;
  }
}

let rabbitmqNodes = 0;

/**
 * A RabbitMQ node of its own (its own node name, AMQP and distribution ports, data and logs in a
 * temporary directory). It shares the machine's Erlang cookie, so `rabbitmqctl -n <node>` reaches
 * it. The server script starts the Erlang VM as a child: stopping kills the VM by its PID file.
 */
export async function startPrivateRabbitmq(): Promise<PrivateRabbitmq> {
  const directory = mkdtempSync(join(tmpdir(), 'private-rabbitmq-'));
  mkdirSync(join(directory, 'log'));
  const [port, distributionPort] = [await freePort(), await freePort()];
  rabbitmqNodes += 1;
  const node = `rmq-test-${process.pid}-${rabbitmqNodes}@localhost`;
  const pidFile = join(directory, 'beam.pid');
  const rabbitmqctl = (...args: string[]) =>
    run('rabbitmqctl', ['-q', '-n', node, ...args], { timeout: 30_000 });
  const environment = {
    PATH: process.env.PATH ?? '',
    // rabbitmqctl runs as the rabbitmq user, whose home holds the cookie both ends must share.
    HOME: '/var/lib/rabbitmq',
    RABBITMQ_NODENAME: node,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distributionPort),
    RABBITMQ_MNESIA_BASE: join(directory, 'mnesia'),
    RABBITMQ_LOG_BASE: join(directory, 'log'),
    RABBITMQ_PID_FILE: pidFile,
    RABBITMQ_ENABLED_PLUGINS_FILE: join(directory, 'enabled_plugins'),
    RABBITMQ_CONFIG_FILE: join(directory, 'rabbitmq'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(directory, 'advanced.config'),
  };
  const beamPid = (): number | undefined => {
    try {
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  };
  const service = restartable({
    what: `private RabbitMQ ${node} on ${port}`,
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    port,
    directory,
    launch: () => {
      rmSync(pidFile, { force: true });
      return trackProcess(
        spawn('/usr/lib/rabbitmq/bin/rabbitmq-server', [], {
          cwd: directory,
          env: environment,
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      );
    },
    ready: async () => {
      if (!(await tcpOpen(port))) return false;
      try {
        await rabbitmqctl('await_startup');
        return true;
      } catch {
        return false;
      }
    },
    kill: (signal, child) => {
      const pid = beamPid();
      if (pid === undefined) child.child.kill(signal);
      else process.kill(pid, signal);
    },
  });
  try {
    await service.start();
  } catch (error) {
    await service.remove();
    throw error;
  }
  return {
    ...service,
    async setMemoryAlarm(raised) {
      // A watermark of almost nothing trips the alarm at once; 0.4 is RabbitMQ's default.
      await rabbitmqctl('set_vm_memory_high_watermark', raised ? '0.0000001' : '0.4');
    },
  };
}
