import type { DataSource, EntityManager } from 'typeorm';
import type { ReadReplica } from './read-replica.js';
import { ReadReplicas } from './read-replicas.js';
import { TransactionRunner } from './transaction-runner.js';

/** Managers are only compared by identity here: which server a read was sent to. */
const manager = (server: string) => ({ server }) as unknown as EntityManager;

const primaryPool = manager('primary');
const primaryTransaction = manager('primary transaction');

type Work = (m: EntityManager) => Promise<unknown>;

const primary = {
  isInitialized: true,
  manager: primaryPool,
  // DataSource.transaction([isolation,] work): the work comes last.
  transaction: (...args: [Work] | [string, Work]) =>
    (args.length === 1 ? args[0] : args[1])(primaryTransaction),
} as unknown as DataSource;

function fakeReplica(server: string, up = true) {
  const replica = {
    isUp: up,
    manager: manager(server),
    markedDownFor: [] as unknown[],
    markDown(error: unknown): void {
      replica.markedDownFor.push(error);
      replica.isUp = false;
    },
  };
  return replica;
}

const serverOf = (m: EntityManager): string => (m as unknown as { server: string }).server;

function setUp(...replicas: ReturnType<typeof fakeReplica>[]) {
  const transactions = new TransactionRunner(primary);
  return {
    transactions,
    reads: new ReadReplicas(transactions, replicas as unknown as ReadReplica[]),
  };
}

describe('ReadReplicas', () => {
  it('reads on the primary when no replica is configured', async () => {
    const { reads } = setUp();
    expect(await reads.read(async (m) => serverOf(m))).toBe('primary');
  });

  it('spreads reads over the replicas that are up, and skips those that are not', async () => {
    const { reads } = setUp(fakeReplica('a'), fakeReplica('down', false), fakeReplica('b'));
    const servers = [];
    for (let i = 0; i < 4; i += 1) servers.push(await reads.read(async (m) => serverOf(m)));
    expect(servers).toEqual(['a', 'b', 'a', 'b']);
    expect(reads.replicasUp).toBe(2);
  });

  it('reads on the primary when every replica is down', async () => {
    const { reads } = setUp(fakeReplica('a', false));
    expect(await reads.read(async (m) => serverOf(m))).toBe('primary');
  });

  it('keeps a read inside a transaction in that transaction, to see its writes', async () => {
    const { reads, transactions } = setUp(fakeReplica('a'));
    const server = await transactions.run(() => reads.read(async (m) => serverOf(m)));
    expect(server).toBe('primary transaction');
  });

  it('retries a read that failed on a replica on the primary, and leaves that replica', async () => {
    const replica = fakeReplica('a');
    const { reads } = setUp(replica);
    const failure = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), {
      code: 'ECONNREFUSED',
    });
    const answer = await reads.read(async (m) => {
      if (serverOf(m) === 'a') throw failure;
      return serverOf(m);
    });
    expect(answer).toBe('primary');
    expect(replica.markedDownFor).toEqual([failure]);
    expect(await reads.read(async (m) => serverOf(m))).toBe('primary');
  });

  it('does not retry a value the database refused: the request is at fault, not the replica', async () => {
    const replica = fakeReplica('a');
    const { reads } = setUp(replica);
    const refused = Object.assign(new Error('invalid input syntax for type uuid'), {
      code: '22P02',
    });
    const servers: string[] = [];
    await expect(
      reads.read(async (m) => {
        servers.push(serverOf(m));
        throw refused;
      }),
    ).rejects.toBe(refused);
    expect(servers).toEqual(['a']);
    expect(replica.markedDownFor).toEqual([]);
  });
});
