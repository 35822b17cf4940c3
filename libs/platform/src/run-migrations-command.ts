import { type Configuration, DatabaseConfig, ServiceConfig } from '#lib/config';
import { createDataSource, ensureDatabaseExists, runMigrations } from '#lib/database';

/**
 * The body of every app's `migrate.ts`: applies the pending migrations of the contexts the app's
 * module declared (import the module before calling). `--create-database` first creates the
 * database named by DATABASE_URL if it does not exist (a fresh development machine).
 */
export async function runMigrationsCommand(
  config: Configuration,
  argv: readonly string[] = process.argv,
): Promise<void> {
  const database = config.get(DatabaseConfig);
  const serviceName = config.get(ServiceConfig).name;
  if (argv.includes('--create-database') && (await ensureDatabaseExists(database.url))) {
    process.stdout.write('created the database\n');
  }
  const dataSource = createDataSource(database, config.get(ServiceConfig));
  await dataSource.initialize();
  try {
    const applied = await runMigrations(dataSource);
    process.stdout.write(
      applied.length > 0
        ? `${serviceName} applied: ${applied.map((migration) => migration.name).join(', ')}\n`
        : `${serviceName}: database is up to date\n`,
    );
  } finally {
    await dataSource.destroy();
  }
}
