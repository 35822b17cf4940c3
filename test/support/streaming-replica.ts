import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { postgresBinary, userIds } from './private-services.js';
import { freePort } from './spawned-process.js';

// A hot standby of a running PostgreSQL, for suites about read replicas: cloned with pg_basebackup
// through a replication slot of its own, started with pg_ctl on a free port, stopped and started
// again by pg_ctl, and removed (server, files and slot) in afterAll. PostgreSQL refuses to run as
// root, so every command runs as the postgres user, in a directory it owns.

const run = promisify(execFile);

export interface StreamingReplica {
  /** postgres:// URL of the replica's copy of the primary's database. */
  readonly url: string;
  readonly port: number;
  /** Stops it (fast shutdown) and waits until it is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data, and waits until it answers queries. */
  start(): Promise<void>;
  /**
   * Stops applying the primary's changes (it still receives them): from then on the replica shows
   * the data as it was, until `resumeReplay`. Resolves once replay has really paused.
   */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Stops it, deletes its files and drops its slot on the primary: for afterAll. */
  remove(): Promise<void>;
}

const asPostgres = (command: string, args: readonly string[], timeoutMs = 120_000) =>
  run('runuser', ['-u', 'postgres', '--', postgresBinary(command), ...args], {
    timeout: timeoutMs,
  });

async function withConnection<T>(url: string, work: (db: DataSource) => Promise<T>): Promise<T> {
  const db = new DataSource({ type: 'postgres', url, extra: { max: 1 } });
  await db.initialize();
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

async function poll(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** The postmaster's PID from its pid file, if it is running. */
function postmasterPid(data: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const running = new Set<string>();
// Should a test worker end without its afterAll, no replica outlives it (SIGINT: fast shutdown).
process.once('exit', () => {
  for (const data of running) {
    const pid = postmasterPid(data);
    if (pid !== undefined) process.kill(pid, 'SIGINT');
  }
});

/**
 * A streaming replica of the primary whose database `primaryUrl` names (its server must accept
 * replication connections from 127.0.0.1 for the postgres user without a password).
 */
export async function startStreamingReplica(primaryUrl: string): Promise<StreamingReplica> {
  const primary = new URL(primaryUrl);
  const directory = mkdtempSync(join(tmpdir(), 'read-replica-'));
  const owner = await userIds('postgres');
  chownSync(directory, owner.uid, owner.gid);
  const data = join(directory, 'data');
  const slot = `read_replica_test_${process.pid}_${Date.now()}`;
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}${primary.pathname}`;

  const stop = async (): Promise<void> => {
    if (postmasterPid(data) === undefined) return;
    await asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
    running.delete(data);
  };
  // A hot standby refuses to start with fewer connections than its primary allows.
  const maxConnections = await withConnection(primaryUrl, async (db) => {
    const [row] = await db.query<{ max_connections: string }[]>('SHOW max_connections');
    return row?.max_connections ?? '100';
  });
  const log = join(directory, 'server.log');
  const start = async (): Promise<void> => {
    running.add(data);
    // -l: the server's output goes to a file, so pg_ctl's pipes close when it returns.
    await asPostgres('pg_ctl', [
      ...['-D', data, '-l', log, '-w', '-t', '120', '-o'],
      `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c max_connections=${maxConnections}`,
      'start',
    ]).catch((error: unknown) => {
      const output = ((): string => {
        try {
          return readFileSync(log, 'utf8');
        } catch {
          return '(no server log)';
        }
      })();
      throw new Error(`${(error as Error).message}\n${output}`);
    });
    await poll(
      () =>
        withConnection(url, async (db) => {
          const [row] = await db.query<{ standby: boolean }[]>(
            'SELECT pg_is_in_recovery() AS standby',
          );
          return row?.standby === true;
        }),
      `the replica on ${port} did not answer as a standby`,
    );
  };
  const dropSlot = () =>
    withConnection(primaryUrl, (db) =>
      db.query(
        'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1',
        [slot],
      ),
    );
  const remove = async (): Promise<void> => {
    try {
      await stop();
    } finally {
      rmSync(directory, { recursive: true, force: true });
      await dropSlot();
    }
  };

  try {
    // -C -S: a slot of its own keeps the primary's WAL until the replica has it, even while it is
    // stopped; -R writes the standby settings; -c fast: no wait for a spread checkpoint.
    await asPostgres('pg_basebackup', [
      ...['-h', primary.hostname, '-p', primary.port || '5432', '-U', 'postgres'],
      ...['-D', data, '-R', '-X', 'stream', '-C', '-S', slot, '-c', 'fast'],
    ]);
    await start();
  } catch (error) {
    await remove().catch(() => undefined);
    throw error;
  }

  return {
    url,
    port,
    stop,
    start,
    async pauseReplay() {
      await withConnection(url, async (db) => {
        await db.query('SELECT pg_wal_replay_pause()');
        await poll(async () => {
          const [row] = await db.query<{ state: string }[]>(
            'SELECT pg_get_wal_replay_pause_state() AS state',
          );
          return row?.state === 'paused';
        }, `replay on the replica on ${port} did not pause`);
      });
    },
    async resumeReplay() {
      await withConnection(url, (db) => db.query('SELECT pg_wal_replay_resume()'));
    },
    remove,
  };
}
