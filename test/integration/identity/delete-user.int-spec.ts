import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionRunner } from '#lib/database';
import { openTestDataSource } from '#lib/testing';
import type { DataSource } from 'typeorm';
import { Email } from '../../../libs/identity/src/domain/email.js';
import { User } from '../../../libs/identity/src/domain/user.js';
import { LastAdminError } from '../../../libs/identity/src/domain/user.errors.js';
import { IDENTITY_PERSISTENCE } from '../../../libs/identity/src/identity.persistence.js';
import { TypeormRefreshTokenRepository } from '../../../libs/identity/src/repositories/refresh-token.typeorm-repository.js';
import { TypeormUserRepository } from '../../../libs/identity/src/repositories/user.typeorm-repository.js';
import { DeleteUserService } from '../../../libs/identity/src/services/delete-user.service.js';
import { RecordingAccessTokenRevocation } from '../../../libs/identity/src/testing/recording-access-token.revocation.js';
import { uniqueEmail } from '../../support/test-environment.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../saga/throwaway-database.js';

/**
 * A revocation that takes a while, as a Redis round trip may: without the lock both deletions
 * would have checked the administrators before either deleted, and both would succeed.
 */
class SlowAccessTokenRevocation extends RecordingAccessTokenRevocation {
  override async revoke(userId: string): Promise<void> {
    await sleep(50);
    await super.revoke(userId);
  }
}

// A database of its own: the last-admin rule counts every administrator, and other suites (and
// the apps they start) create admins in the shared test database at any time.
describe('DeleteUserService against PostgreSQL: the last administrator', () => {
  let throwaway: ThrowawayDatabase;
  let dataSource: DataSource;
  let users: TypeormUserRepository;
  let service: DeleteUserService;
  let revocation: SlowAccessTokenRevocation;

  beforeAll(async () => {
    throwaway = await createThrowawayDatabase('last_admin');
    dataSource = await openTestDataSource({
      url: throwaway.url,
      features: [IDENTITY_PERSISTENCE],
      poolMax: 4,
    });
    const transactions = new TransactionRunner(dataSource);
    users = new TypeormUserRepository(transactions);
    revocation = new SlowAccessTokenRevocation();
    service = new DeleteUserService(
      users,
      new TypeormRefreshTokenRepository(transactions),
      revocation,
      transactions,
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await throwaway?.drop();
  });

  beforeEach(() => dataSource.query('DELETE FROM identity.users'));

  async function admin(): Promise<User> {
    const user = User.register({
      email: Email.parse(uniqueEmail('admin')),
      passwordHash: '$argon2id$fake',
      now: new Date(),
      roles: ['customer', 'admin'],
    });
    await users.insert(user);
    return user;
  }

  const remainingAdmins = async (): Promise<string[]> => {
    const rows = await dataSource.query<{ id: string }[]>(
      `SELECT id FROM identity.users WHERE 'admin' = ANY(roles) ORDER BY id`,
    );
    return rows.map((row) => row.id);
  };

  it('refuses to delete the only administrator', async () => {
    const only = await admin();

    await expect(service.delete(only.id)).rejects.toBeInstanceOf(LastAdminError);

    expect(await remainingAdmins()).toEqual([only.id]);
  });

  it('lets exactly one of two admins deleting each other at once succeed, every time', async () => {
    for (let round = 0; round < 10; round += 1) {
      const [first, second] = [await admin(), await admin()];
      revocation.revoked.length = 0;

      const outcomes = await Promise.allSettled([
        service.delete(first.id),
        service.delete(second.id),
      ]);

      const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(refused).toHaveLength(1);
      expect(refused[0].reason).toBeInstanceOf(LastAdminError);
      const survivors = await remainingAdmins();
      expect(survivors).toHaveLength(1);
      // The refused one revoked nothing: the surviving admin keeps working.
      expect(revocation.revoked).not.toContain(survivors[0]);
      await dataSource.query('DELETE FROM identity.users');
    }
  });
});
