import type { QueryRunner } from 'typeorm';
import type { DatabaseFeature } from './database-registry.js';

/** Where every context recorded its migrations before each got a table of its own. */
export const LEGACY_MIGRATIONS_TABLE = 'public.schema_migrations';

/**
 * Creates `<schema>.migrations` the first time a context migrates, and fills it from the shared
 * table older releases used, so an existing database does not run those migrations again. Rows of
 * renamed migrations are recorded under their current name. Creating and filling the table is one
 * transaction: a crash in between cannot leave an empty table that would re-run everything.
 * Runs under the context's migration lock.
 */
export async function adoptLegacyMigrations(
  runner: QueryRunner,
  feature: DatabaseFeature,
  migrationNames: readonly string[],
): Promise<void> {
  const schema = quoteIdentifier(feature.schema);
  if (await tableExists(runner, `${schema}.migrations`)) return;

  await runner.startTransaction();
  try {
    await runner.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    // The columns TypeORM's MigrationExecutor creates and reads.
    await runner.query(
      `CREATE TABLE ${schema}.migrations (
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
