import type { DataSource } from 'typeorm';
import { TransactionRunner } from '#lib/database';
import { openTestDataSource } from '#lib/testing';
import { IDENTITY_PERSISTENCE } from '../../../libs/identity/src/identity.persistence.js';
import { TEST_DATABASE_URL } from '../../support/test-environment.js';

/**
 * The identity schema in the shared test database, migrated exactly as the app migrates it (same
 * migrations table), so tests and apps agree on what is applied. Tests create their own users and
 * delete only those afterwards: other suites use the same tables at the same time.
 */
export async function openIdentityDatabase(): Promise<{
  dataSource: DataSource;
  transactions: TransactionRunner;
  /** Remembers a user id for deletion at close (its refresh tokens go with it: ON DELETE CASCADE). */
  track(userId: string): void;
  close(): Promise<void>;
}> {
  const dataSource = await openTestDataSource({
    url: TEST_DATABASE_URL,
    features: [IDENTITY_PERSISTENCE],
    poolMax: 6,
  });
  const userIds: string[] = [];
  return {
    dataSource,
    transactions: new TransactionRunner(dataSource),
    track: (userId) => userIds.push(userId),
    close: async () => {
      if (userIds.length > 0) {
        await dataSource.query('DELETE FROM identity.users WHERE id = ANY($1::uuid[])', [userIds]);
      }
      await dataSource.destroy();
    },
  };
}
