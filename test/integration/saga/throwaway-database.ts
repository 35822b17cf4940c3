import { randomUUID } from 'node:crypto';
import { ensureDatabaseExists } from '#lib/database';
import pg from 'pg';
import { TEST_DATABASE_URL } from '../../support/test-environment.js';

export interface ThrowawayDatabase {
  readonly url: string;
  /** Drops it, ending whatever sessions are still open on it. */
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file: its relays take no other suite's outbox rows, no other
 * suite sees its orders, and dropping it afterwards removes everything the test created.
 */
export async function createThrowawayDatabase(label: string): Promise<ThrowawayDatabase> {
  const url = new URL(TEST_DATABASE_URL);
  const name = `${url.pathname.slice(1)}_${label}_${randomUUID().slice(0, 8)}`;
  url.pathname = `/${name}`;
  await ensureDatabaseExists(url.toString());
  return {
    url: url.toString(),
    async drop() {
      const admin = new URL(TEST_DATABASE_URL);
      admin.pathname = '/postgres';
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
