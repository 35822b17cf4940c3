import type { DataSource, Migration } from 'typeorm';

// Any constant works; it only has to be the same for every replica of every app.
const MIGRATION_LOCK_KEY = 727_274_001;

/**
 * Runs pending migrations under a Postgres advisory lock, so replicas that start together
 * apply each migration once instead of racing on the same DDL.
 */
export async function runMigrations(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      .catch(() => undefined);
    await runner.release();
  }
}
