import { ensureDatabaseExists } from '#lib/database';
import { TEST_DATABASE_URL } from './test-environment.js';

let databaseReady: Promise<boolean> | undefined;

/** A fresh machine has no test database yet; the first app a worker starts creates it. */
export const testDatabaseReady = (): Promise<boolean> =>
  (databaseReady ??= ensureDatabaseExists(TEST_DATABASE_URL));
