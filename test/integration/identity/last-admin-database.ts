import type { DataSource } from 'typeorm';
import { openTestDataSource } from '#lib/testing';
import { Email } from '../../../libs/identity/src/domain/email.js';
import { User } from '../../../libs/identity/src/domain/user.js';
import { IDENTITY_PERSISTENCE } from '../../../libs/identity/src/identity.persistence.js';
import type { TypeormUserRepository } from '../../../libs/identity/src/repositories/user.typeorm-repository.js';
import { uniqueEmail } from '../../support/test-environment.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../saga/throwaway-database.js';

/**
 * An identity database of its own for the last-administrator rule: the rule counts every
 * administrator, and other suites (and the apps they start) create admins in the shared test
 * database at any time.
 */
export interface LastAdminDatabase {
  dataSource: DataSource;
  /** Registers an administrator through `users`. */
  admin(users: TypeormUserRepository): Promise<User>;
  /** Ids of the administrators left, in id order. */
  remainingAdmins(): Promise<string[]>;
  deleteAllUsers(): Promise<void>;
  close(): Promise<void>;
}

export async function openLastAdminDatabase(name: string): Promise<LastAdminDatabase> {
  const throwaway: ThrowawayDatabase = await createThrowawayDatabase(name);
  const dataSource = await openTestDataSource({
    url: throwaway.url,
    features: [IDENTITY_PERSISTENCE],
    poolMax: 4,
  });
  return {
    dataSource,
    async admin(users) {
      const user = User.register({
        email: Email.parse(uniqueEmail('admin')),
        passwordHash: '$argon2id$fake',
        now: new Date(),
        roles: ['customer', 'admin'],
      });
      await users.insert(user);
      return user;
    },
    async remainingAdmins() {
      const rows = await dataSource.query<{ id: string }[]>(
        `SELECT id FROM identity.users WHERE 'admin' = ANY(roles) ORDER BY id`,
      );
      return rows.map((row) => row.id);
    },
    async deleteAllUsers() {
      await dataSource.query('DELETE FROM identity.users');
    },
    async close() {
      await dataSource.destroy();
      await throwaway.drop();
    },
  };
}
