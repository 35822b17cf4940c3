import type { AppConfig } from '#lib/config';
import { createDataSource, ensureDatabaseExists, runMigrations } from '#lib/database';

/**
 * The body of every app's `migrate.ts`: applies the pending migrations of the contexts the app's
 * module declared (import the module before calling). `--create-database` first creates the
 * database named by DATABASE_URL if it does not exist (a fresh development machine).
 */
export async function runMigrationsCommand(
  config: AppConfig,
  argv: readonly string[] = process.argv,
): Promise<void> {
  if (argv.includes('--create-database') && (await ensureDatabaseExists(config.database.url))) {
    process.stdout.write('created the database\n');
  }
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    const applied = await runMigrations(dataSource);
    process.stdout.write(
      applied.length > 0
        ? `${config.serviceName} applied: ${applied.map((migration) => migration.name).join(', ')}\n`
        : `${config.serviceName}: database is up to date\n`,
    );
  } finally {
    await dataSource.destroy();
  }
}
