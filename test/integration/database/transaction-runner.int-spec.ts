import { randomUUID } from 'node:crypto';
import { DataSource, type Logger, type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  createDataSource,
  type DatabaseFeature,
  DatabaseUnavailableError,
  runMigrations,
  SnakeCaseNamingStrategy,
  TransactionRunner,
} from '#lib/database';
import { testDatabaseReady } from '../../support/app-process.js';
import { TEST_DATABASE_URL } from '../../support/test-environment.js';

const schema = `it_tx_${randomUUID().slice(0, 8)}`;

// Deliberately not idempotent (no IF NOT EXISTS): running it twice concurrently would fail.
class CreateLedgerTable1700000000000 implements MigrationInterface {
  name = 'CreateLedgerTable1700000000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "${schema}".ledger (id uuid PRIMARY KEY, note text NOT NULL)`,
    );
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SCHEMA "${schema}" CASCADE`);
  }
}

const ledgerFeature: DatabaseFeature = {
  schema,
  entities: [],
  migrations: [CreateLedgerTable1700000000000],
};

const newDataSource = () =>
  new DataSource({
    type: 'postgres',
    url: TEST_DATABASE_URL,
    namingStrategy: new SnakeCaseNamingStrategy(),
  });

describe('database library against PostgreSQL', () => {
  const sources: DataSource[] = [];
  let transactions: TransactionRunner;

  beforeAll(async () => {
    await testDatabaseReady();
    sources.push(newDataSource(), newDataSource());
    await Promise.all(sources.map((source) => source.initialize()));
  });

  afterAll(async () => {
    await sources[0].query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await Promise.all(sources.map((source) => source.destroy()));
  });

  it('applies a migration once when two replicas migrate at the same time', async () => {
    const [first, second] = await Promise.all(
      sources.map((source) => runMigrations(source, [ledgerFeature])),
    );
    expect(first.length + second.length).toBe(1);
    transactions = new TransactionRunner(sources[0]);
  });

  const count = async (note: string): Promise<number> => {
    const rows: { n: string }[] = await sources[0].query(
      `SELECT count(*) AS n FROM "${schema}".ledger WHERE note = $1`,
      [note],
    );
    return Number(rows[0].n);
  };
  const insert = (note: string) =>
    transactions.manager.query(`INSERT INTO "${schema}".ledger (id, note) VALUES ($1, $2)`, [
      randomUUID(),
      note,
    ]);

  it('rolls back every write of a unit of work when it fails', async () => {
    const note = randomUUID();
    await expect(
      transactions.run(async () => {
        await insert(note);
        await insert(note);
        throw new Error('payment declined');
      }),
    ).rejects.toThrow('payment declined');
    expect(await count(note)).toBe(0);
  });

  it('commits the writes of a unit of work, including those of nested runs', async () => {
    const note = randomUUID();
    await transactions.run(async () => {
      await insert(note);
      await transactions.run(() => insert(note));
    });
    expect(await count(note)).toBe(2);
  });

  it('lets a nested run join the outer transaction, so its writes roll back with it', async () => {
    const note = randomUUID();
    await expect(
      transactions.run(async () => {
        await transactions.run(() => insert(note));
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    expect(await count(note)).toBe(0);
  });

  it('uses the pool outside a unit of work', async () => {
    const note = randomUUID();
    await insert(note);
    expect(await count(note)).toBe(1);
  });

  it('gives a write that must commit on its own the pool, even inside a unit of work', async () => {
    const note = randomUUID();
    await expect(
      transactions.run(async () => {
        await transactions.standalone.query(
          `INSERT INTO "${schema}".ledger (id, note) VALUES ($1, $2)`,
          [randomUUID(), note],
        );
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    expect(await count(note)).toBe(1);
  });

  it('tells a completion callback after the commit, when other connections see the writes', async () => {
    const note = randomUUID();
    const seen: { committed: boolean; visible: Promise<number> }[] = [];
    await transactions.run(async () => {
      await insert(note);
      await transactions.run(async () => {
        // Registered in a nested run: it belongs to the outer transaction, and waits for it.
        transactions.afterCompletion((committed) => seen.push({ committed, visible: count(note) }));
        await insert(note);
      });
      expect(seen).toEqual([]);
    });

    expect(seen).toHaveLength(1);
    expect(seen[0].committed).toBe(true);
    // Counted on a pooled connection of its own, outside the transaction.
    expect(await seen[0].visible).toBe(2);
  });

  it('tells a completion callback that the transaction rolled back, and still fails the caller', async () => {
    const outcomes: boolean[] = [];
    await expect(
      transactions.run(async () => {
        transactions.afterCompletion((committed) => outcomes.push(committed));
        await insert(randomUUID());
        throw new Error('payment declined');
      }),
    ).rejects.toThrow('payment declined');
    expect(outcomes).toEqual([false]);
  });

  it('does not let a failing completion callback fail a committed transaction or the next callback', async () => {
    const note = randomUUID();
    const outcomes: boolean[] = [];
    await transactions.run(async () => {
      transactions.afterCompletion(() => {
        throw new Error('callback bug');
      });
      transactions.afterCompletion((committed) => outcomes.push(committed));
      await insert(note);
    });
    expect(outcomes).toEqual([true]);
    expect(await count(note)).toBe(1);
  });

  it('refuses a completion callback outside a transaction', () => {
    expect(() => transactions.afterCompletion(() => undefined)).toThrow('outside a transaction');
  });

  it('raises a transient DatabaseUnavailableError while the data source is not connected', async () => {
    const notConnected = new TransactionRunner(newDataSource());
    expect(() => notConnected.manager).toThrow(DatabaseUnavailableError);
    // A request reaching an app before its connection is up: 503, not TypeORM's missing metadata.
    expect(() => notConnected.standalone).toThrow(DatabaseUnavailableError);
    await expect(notConnected.run(async () => 'never')).rejects.toMatchObject({
      code: 'DATABASE.UNAVAILABLE',
      transient: true,
    });
  });
});

/** Every statement a data source sends, in order. */
class StatementLog implements Logger {
  readonly statements: string[] = [];
  logQuery(query: string): void {
    this.statements.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

describe('transaction isolation of the data source apps use', () => {
  const log = new StatementLog();
  const source = createDataSource(
    {
      url: TEST_DATABASE_URL,
      poolMax: 1,
      connectTimeoutMs: 5_000,
      statementTimeoutMs: 30_000,
      runMigrations: false,
      readReplicaUrls: [],
    },
    { env: 'test', name: 'isolation-test' },
  );
  source.setOptions({ logger: log });
  const transactions = new TransactionRunner(source);

  beforeAll(async () => {
    await testDatabaseReady();
    await source.initialize();
  });
  afterAll(async () => {
    await source.destroy();
  });

  const isolationInside = async (run: (work: () => Promise<string>) => Promise<string>) => {
    log.statements.length = 0;
    const level = await run(async () => {
      const rows: { level: string }[] = await transactions.manager.query(
        `SELECT current_setting('transaction_isolation') AS level`,
      );
      return rows[0].level;
    });
    return { level, statements: [...log.statements] };
  };

  it('pins read committed as the connection default when the connection opens', async () => {
    const rows: { setting: string; source: string }[] = await source.query(
      `SELECT setting, source FROM pg_settings WHERE name = 'default_transaction_isolation'`,
    );
    expect(rows).toEqual([{ setting: 'read committed', source: 'client' }]);
  });

  it('runs a read-committed unit of work without a SET TRANSACTION round trip', async () => {
    const { level, statements } = await isolationInside((work) => transactions.run(work));

    expect(level).toBe('read committed');
    expect(statements).toEqual([
      'START TRANSACTION',
      expect.stringContaining('transaction_isolation'),
      'COMMIT',
    ]);
  });

  it('still sets a stricter level when a unit of work asks for one', async () => {
    const { level, statements } = await isolationInside((work) =>
      transactions.run(work, 'SERIALIZABLE'),
    );

    expect(level).toBe('serializable');
    expect(statements).toContain('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE');
  });
});
