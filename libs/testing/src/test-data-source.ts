import {
  type DatabaseFeature,
  ensureDatabaseExists,
  runMigrations,
  SnakeCaseNamingStrategy,
} from '#lib/database';
import { DataSource } from 'typeorm';

export interface TestDataSourceOptions {
  /** The test database (the suites' `TEST_DATABASE_URL`). */
  readonly url: string;
  /** The schemas to migrate, as the apps migrate them (same migrations tables), in this order. */
  readonly features: readonly DatabaseFeature[];
  /**
   * Gives the suite a database of its own, `<test database>_<suffix>`, created when missing: for
   * tables that a running app's workers or relay would otherwise take rows from.
   */
  readonly ownDatabase?: string;
  readonly poolMax?: number;
}

// Two suites starting together both try to create the database; the loser finds it there.
const ALREADY_CREATED = new Set(['42P04', '23505']);

/**
 * An initialised DataSource for an integration suite, with the features' entities and migrations
 * applied exactly as the apps apply them. The caller destroys it.
 */
export async function openTestDataSource(options: TestDataSourceOptions): Promise<DataSource> {
  const url = new URL(options.url);
  if (options.ownDatabase) url.pathname = `${url.pathname}_${options.ownDatabase}`;
  await ensureDatabaseExists(url.toString()).catch((error: unknown) => {
    if (!ALREADY_CREATED.has((error as { code?: string }).code ?? '')) throw error;
  });
  const dataSource = new DataSource({
    type: 'postgres',
    url: url.toString(),
    entities: options.features.flatMap((feature) => feature.entities),
    namingStrategy: new SnakeCaseNamingStrategy(),
    extra: { max: options.poolMax ?? 10 },
  });
  await dataSource.initialize();
  await runMigrations(dataSource, options.features);
  return dataSource;
}
