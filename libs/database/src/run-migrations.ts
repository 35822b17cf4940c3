import { createHash } from 'node:crypto';
import { DataSource, type Migration, MigrationExecutor, type QueryRunner } from 'typeorm';
import { adoptLegacyMigrations } from './adopt-legacy-migrations.js';
import { type DatabaseFeature, databaseRegistry } from './database-registry.js';

// First half of every migration lock key; the second half names the schema. Any constant works,
// it only has to be the same for every replica of every app.
const MIGRATION_LOCK_NAMESPACE = 727_274_001;

/** The advisory lock a context's migrations run under: one per schema, so contexts never wait on each other. */
export function migrationLockKey(schema: string): number {
  return createHash('sha256').update(`migrations:${schema}`).digest().readInt32BE(0);
}

/**
 * Applies the pending migrations of each feature (by default every context this app declared),
 * one context at a time. Each context records its migrations in `<schema>.migrations` and runs them
 * under an advisory lock of its own: replicas of one app apply each migration once, and apps that
 * own other contexts migrate at the same time without waiting. See docs/adr (migrations per context).
 */
export async function runMigrations(
  dataSource: DataSource,
  features: readonly DatabaseFeature[] = databaseRegistry.features,
): Promise<Migration[]> {
  const applied: Migration[] = [];
  for (const feature of features) applied.push(...(await migrateFeature(dataSource, feature)));
  return applied;
}

async function migrateFeature(
  dataSource: DataSource,
  feature: DatabaseFeature,
): Promise<Migration[]> {
  // A data source of its own tells TypeORM's executor which migrations and which table to use;
  // one connection is enough, since the lock, the adoption and the migrations all run on it.
  const { options } = dataSource;
  if (options.type !== 'postgres') throw new Error('runMigrations supports PostgreSQL only');
  const featureSource = new DataSource({
    ...options,
    schema: feature.schema,
    entities: [],
    subscribers: [],
    migrations: [...feature.migrations],
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    extra: { ...(options.extra as object | undefined), max: 1 },
  });
  await featureSource.initialize();
  const runner = featureSource.createQueryRunner();
  try {
    await runner.connect();
    return await underLock(runner, feature.schema, async () => {
      await adoptLegacyMigrations(runner, feature, migrationNames(featureSource));
      const executor = new MigrationExecutor(featureSource, runner);
      executor.transaction = 'each';
      return executor.executePendingMigrations();
    });
  } finally {
    await runner.release();
    await featureSource.destroy();
  }
}

async function underLock<T>(
  runner: QueryRunner,
  schema: string,
  work: () => Promise<T>,
): Promise<T> {
  const key = [MIGRATION_LOCK_NAMESPACE, migrationLockKey(schema)];
  await runner.query('SELECT pg_advisory_lock($1, $2)', key);
  try {
    return await work();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1, $2)', key).catch(() => undefined);
  }
}

/** The names TypeORM records, as it derives them: the `name` property, else the class name. */
function migrationNames(source: DataSource): string[] {
  return source.migrations.map((migration) => migration.name ?? migration.constructor.name);
}
