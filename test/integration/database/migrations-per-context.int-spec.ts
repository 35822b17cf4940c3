import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  type DatabaseFeature,
  ensureDatabaseExists,
  migrationLockKey,
  runMigrations,
} from '#lib/database';
import { CATALOG_PERSISTENCE } from '../../../libs/catalog/src/catalog.persistence.js';
import { IDENTITY_PERSISTENCE } from '../../../libs/identity/src/identity.persistence.js';
import { NOTIFICATIONS_PERSISTENCE } from '../../../libs/notifications/src/notifications.persistence.js';
import { ORDERS_PERSISTENCE } from '../../../libs/orders/src/orders.persistence.js';
import { CreatePaymentsSchema1767488400000 } from '../../../libs/payments/src/migrations/1767488400000-create-payments-schema.js';
import { PAYMENTS_PERSISTENCE } from '../../../libs/payments/src/payments.persistence.js';
import { TEST_DATABASE_URL } from '../../support/test-environment.js';

const CONTEXTS = [
  IDENTITY_PERSISTENCE,
  CATALOG_PERSISTENCE,
  ORDERS_PERSISTENCE,
  PAYMENTS_PERSISTENCE,
  NOTIFICATIONS_PERSISTENCE,
];

// Each test gets a database of its own: these tests create the contexts' real schemas and the
// old shared migrations table, which must not meet the shared test database's.
const databases: string[] = [];
const sources: DataSource[] = [];

async function freshDatabase(): Promise<string> {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `${url.pathname}_mig_${randomBytes(4).toString('hex')}`;
  await ensureDatabaseExists(url.toString());
  databases.push(url.toString());
  return url.toString();
}

async function openDataSource(
  url: string,
  options: { migrations?: (new () => MigrationInterface)[] } = {},
) {
  const source = new DataSource({
    type: 'postgres',
    url,
    ...options,
    migrationsTableName: 'schema_migrations',
  });
  await source.initialize();
  sources.push(source);
  return source;
}

const names = (rows: { name: string }[]) => rows.map((row) => row.name);
const migrationNames = (feature: DatabaseFeature) =>
  feature.migrations.map((migration) => new migration().name ?? migration.name);

afterAll(async () => {
  await Promise.all(sources.map((source) => source.destroy()));
  const admin = new pg.Client({
    connectionString: TEST_DATABASE_URL.replace(/\/[^/]*$/, '/postgres'),
  });
  await admin.connect();
  for (const url of databases) {
    await admin.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
  }
  await admin.end();
});

/** Resolves when the other side arrives too; fails if it never does, instead of hanging. */
function rendezvous(parties: number) {
  let arrived = 0;
  let open!: () => void;
  const allThere = new Promise<void>((resolve) => (open = resolve));
  return async (who: string): Promise<void> => {
    arrived += 1;
    if (arrived === parties) open();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${who} waited alone: the other context's migration never started`)),
        30_000,
      );
    });
    await Promise.race([allThere, timeout]).finally(() => clearTimeout(timer));
  };
}

describe('migrations per context', () => {
  it('records each context in a migrations table of its own schema', async () => {
    const source = await openDataSource(await freshDatabase());
    const applied = await runMigrations(source, CONTEXTS);

    expect(names(applied).sort()).toEqual(CONTEXTS.flatMap(migrationNames).sort());
    for (const feature of CONTEXTS) {
      const rows: { name: string }[] = await source.query(
        `SELECT name FROM "${feature.schema}".migrations`,
      );
      expect(names(rows).sort()).toEqual(migrationNames(feature).sort());
    }
    const [{ shared }] = await source.query(
      `SELECT to_regclass('public.schema_migrations') AS shared`,
    );
    expect(shared).toBeNull();
    expect(await runMigrations(source, CONTEXTS)).toEqual([]);
  });

  it('lets two contexts migrate at the same time, neither waiting for the other', async () => {
    const url = await freshDatabase();
    // Each migration holds its context's lock until the other context's migration is running too:
    // with one lock for all contexts the second could not start and the first would time out.
    const bothRunning = rendezvous(2);
    const rendezvousFeature = (schema: string): DatabaseFeature => {
      class CreateTable1700000000000 implements MigrationInterface {
        name = 'CreateTable1700000000000';
        async up(queryRunner: QueryRunner): Promise<void> {
          await queryRunner.query(`CREATE TABLE "${schema}".things (id int PRIMARY KEY)`);
          await bothRunning(schema);
        }
        async down(): Promise<void> {}
      }
      return { schema, entities: [], migrations: [CreateTable1700000000000] };
    };
    const [left, right] = await Promise.all([openDataSource(url), openDataSource(url)]);

    const [leftApplied, rightApplied] = await Promise.all([
      runMigrations(left, [rendezvousFeature('left_app')]),
      runMigrations(right, [rendezvousFeature('right_app')]),
    ]);

    expect(names(leftApplied)).toEqual(['CreateTable1700000000000']);
    expect(names(rightApplied)).toEqual(['CreateTable1700000000000']);
    expect(migrationLockKey('left_app')).not.toBe(migrationLockKey('right_app'));
  });

  it('upgrades a database migrated into the old shared table without running anything again', async () => {
    const url = await freshDatabase();
    // What the previous release did: every context's migrations in public.schema_migrations,
    // payments' under the timestamp it shared with orders.
    class CreatePaymentsSchema1767484800000 extends CreatePaymentsSchema1767488400000 {
      override name = 'CreatePaymentsSchema1767484800000';
    }
    // Later migrations of a context (added since) are in the old table too: only the name changed.
    const released = CONTEXTS.flatMap((feature) =>
      feature.migrations.map((migration) =>
        migration === CreatePaymentsSchema1767488400000
          ? CreatePaymentsSchema1767484800000
          : migration,
      ),
    );
    const oldRelease = await openDataSource(url, { migrations: released });
    await oldRelease.runMigrations({ transaction: 'each' });

    // Any re-run would fail: the migrations create their tables without IF NOT EXISTS.
    const applied = await runMigrations(await openDataSource(url), CONTEXTS);

    expect(applied).toEqual([]);
    const payments: { timestamp: string; name: string }[] = await oldRelease.query(
      `SELECT "timestamp", name FROM payments.migrations`,
    );
    expect(payments).toContainEqual({
      timestamp: '1767488400000',
      name: 'CreatePaymentsSchema1767488400000',
    });
    expect(payments.map((row) => row.name)).not.toContain('CreatePaymentsSchema1767484800000');
  });

  it('adopts the old rows once, then applies the migrations that came after them', async () => {
    const url = await freshDatabase();
    const schema = 'ledger';
    class CreateLedger1700000000000 implements MigrationInterface {
      name = 'CreateLedger1700000000000';
      async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE SCHEMA ${schema}`);
        await queryRunner.query(`CREATE TABLE ${schema}.entries (id int PRIMARY KEY)`);
      }
      async down(): Promise<void> {}
    }
    class AddLedgerNote1700000100000 implements MigrationInterface {
      name = 'AddLedgerNote1700000100000';
      async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE ${schema}.entries ADD COLUMN note text`);
      }
      async down(): Promise<void> {}
    }
    const oldRelease = await openDataSource(url, { migrations: [CreateLedger1700000000000] });
    await oldRelease.runMigrations();

    const feature: DatabaseFeature = {
      schema,
      entities: [],
      migrations: [CreateLedger1700000000000, AddLedgerNote1700000100000],
    };
    const applied = await runMigrations(await openDataSource(url), [feature]);

    expect(names(applied)).toEqual(['AddLedgerNote1700000100000']);
    const rows: { name: string }[] = await oldRelease.query(
      `SELECT name FROM ${schema}.migrations ORDER BY id`,
    );
    expect(names(rows)).toEqual(['CreateLedger1700000000000', 'AddLedgerNote1700000100000']);
  });

  it('adopts old rows into a table that already exists, as when two features share a schema', async () => {
    const url = await freshDatabase();
    class CreateLedger1700000000000 implements MigrationInterface {
      name = 'CreateLedger1700000000000';
      async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE shared_schema.entries (id int PRIMARY KEY)`);
      }
      async down(): Promise<void> {}
    }
    const source = await openDataSource(url);
    await source.query('CREATE SCHEMA shared_schema');
    await source.query(
      'CREATE TABLE shared_schema.migrations (id serial PRIMARY KEY, "timestamp" bigint NOT NULL, name varchar NOT NULL)',
    );
    await source.query(
      'CREATE TABLE schema_migrations (id serial PRIMARY KEY, "timestamp" bigint NOT NULL, name varchar NOT NULL)',
    );
    await source.query(
      `INSERT INTO schema_migrations ("timestamp", name) VALUES (1700000000000, 'CreateLedger1700000000000')`,
    );
    await source.query('CREATE TABLE shared_schema.entries (id int PRIMARY KEY)');

    const feature: DatabaseFeature = {
      schema: 'shared_schema',
      entities: [],
      migrations: [CreateLedger1700000000000],
    };

    expect(await runMigrations(source, [feature])).toEqual([]);
    expect(await runMigrations(source, [feature])).toEqual([]);
    const rows: { name: string }[] = await source.query(
      `SELECT name FROM shared_schema.migrations`,
    );
    expect(names(rows)).toEqual(['CreateLedger1700000000000']);
  });

  it('gives no two migrations of the platform the same timestamp', () => {
    const timestamps = CONTEXTS.flatMap((feature) =>
      migrationNames(feature).map((name) => name.slice(-13)),
    );
    expect(new Set(timestamps).size).toBe(timestamps.length);
  });
});
