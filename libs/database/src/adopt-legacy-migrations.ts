import type { QueryRunner } from 'typeorm';
import type { DatabaseFeature } from './database-registry.js';

/** Where every context recorded its migrations before each got a table of its own. */
export const LEGACY_MIGRATIONS_TABLE = 'public.schema_migrations';

/**
 * Makes sure `<schema>.migrations` exists and records in it every migration of the feature that
 * the shared table of older releases lists as applied, so an existing database does not run it
 * again. Rows of renamed migrations are recorded under their current name. Idempotent, and one
 * transaction: a crash in between cannot leave a table that misses what ran. Runs under the
 * context's migration lock.
 */
export async function adoptLegacyMigrations(
  runner: QueryRunner,
  feature: DatabaseFeature,
  migrationNames: readonly string[],
): Promise<void> {
  const schema = quoteIdentifier(feature.schema);
  await runner.startTransaction();
  try {
    await runner.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    // The columns TypeORM's MigrationExecutor creates and reads.
    await runner.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.migrations (
         id          serial  PRIMARY KEY,
         "timestamp" bigint  NOT NULL,
         name        varchar NOT NULL
       )`,
    );
    if (await tableExists(runner, LEGACY_MIGRATIONS_TABLE)) {
      const recordedAs = migrationNames.map((name) => feature.renamedMigrations?.[name] ?? name);
      await runner.query(
        `INSERT INTO ${schema}.migrations ("timestamp", name)
         SELECT right(current.name, 13)::bigint, current.name
           FROM unnest($1::varchar[], $2::varchar[]) AS current(name, recorded_as)
           JOIN ${LEGACY_MIGRATIONS_TABLE} AS old ON old.name = current.recorded_as
          WHERE NOT EXISTS (SELECT 1 FROM ${schema}.migrations AS done WHERE done.name = current.name)
          ORDER BY old.id`,
        [migrationNames, recordedAs],
      );
    }
    await runner.commitTransaction();
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  }
}

async function tableExists(runner: QueryRunner, qualifiedName: string): Promise<boolean> {
  const rows = (await runner.query('SELECT to_regclass($1) AS found', [qualifiedName])) as {
    found: string | null;
  }[];
  return rows[0].found !== null;
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
