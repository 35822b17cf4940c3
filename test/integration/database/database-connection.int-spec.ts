import { randomUUID } from 'node:crypto';
import type { DatabaseConfig } from '#lib/config';
import { DatabaseConnection, databaseRegistry } from '#lib/database';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { freePort, testDatabaseReady } from '../../support/app-process.js';
import { TEST_DATABASE_URL } from '../../support/test-environment.js';

const schema = `it_conn_${randomUUID().slice(0, 8)}`;

class SlowSchemaMigration1700000000001 implements MigrationInterface {
  name = 'SlowSchemaMigration1700000000001';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT pg_sleep(0.3)');
    await queryRunner.query(`CREATE TABLE "${schema}".marker (id int)`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schema}".marker`);
  }
}

// What a context's module declares; DatabaseConnection migrates every declared feature.
databaseRegistry.register({ schema, entities: [], migrations: [SlowSchemaMigration1700000000001] });

const config = (runMigrations: boolean) => ({ runMigrations }) as unknown as DatabaseConfig;

describe('DatabaseConnection against PostgreSQL', () => {
  beforeAll(() => testDatabaseReady());

  it('is ready only once connected and migrated, not merely connected', async () => {
    const dataSource = new DataSource({
      type: 'postgres',
      url: TEST_DATABASE_URL,
    });
    const connection = new DatabaseConnection(dataSource, config(true));
    connection.onModuleInit();
    const sawConnectedButNotReady = await (async () => {
      for (let i = 0; i < 100; i += 1) {
        if (connection.isConnected) return !connection.isReady;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return false;
    })();
    await connection.whenReady();
    try {
      expect(sawConnectedButNotReady).toBe(true);
      expect(connection.isReady).toBe(true);
      const found: unknown[] = await dataSource.query(
        'SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2',
        [schema, 'marker'],
      );
      expect(found).toHaveLength(1);
    } finally {
      await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await connection.onApplicationShutdown();
    }
  });

  it('keeps retrying while the database is unreachable and stops on shutdown', async () => {
    const port = await freePort();
    const dataSource = new DataSource({
      type: 'postgres',
      url: `postgres://postgres@127.0.0.1:${port}/nowhere`,
    });
    const connection = new DatabaseConnection(dataSource, config(false));
    connection.onModuleInit();
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(connection.isConnected).toBe(false);
    expect(connection.isReady).toBe(false);
    await connection.onApplicationShutdown();
    await expect(connection.whenReady()).rejects.toThrow(
      'shut down before the database was reachable',
    );
  });
});
