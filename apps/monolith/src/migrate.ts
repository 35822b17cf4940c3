import { configurationOrExit } from '#lib/config';
import { createDataSource, ensureDatabaseExists, runMigrations } from '#lib/database';
// Importing the app module declares every context's schema, entities and migrations.
import './monolith.module.js';

/** `npm run db:migrate`: applies pending migrations (production runs this before rolling out). */
const config = configurationOrExit();
if (
  process.argv.includes('--create-database') &&
  (await ensureDatabaseExists(config.database.url))
) {
  process.stdout.write('created the database\n');
}
const dataSource = createDataSource(config);
await dataSource.initialize();
try {
  const applied = await runMigrations(dataSource);
  process.stdout.write(
    applied.length > 0
      ? `applied: ${applied.map((migration) => migration.name).join(', ')}\n`
      : 'database is up to date\n',
  );
} finally {
  await dataSource.destroy();
}
