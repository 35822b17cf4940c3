import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionRunner } from '#lib/database';
import type { User } from '../../../libs/identity/src/domain/user.js';
import { LastAdminError } from '../../../libs/identity/src/domain/user.errors.js';
import { TypeormRefreshTokenRepository } from '../../../libs/identity/src/repositories/refresh-token.typeorm-repository.js';
import { TypeormUserRepository } from '../../../libs/identity/src/repositories/user.typeorm-repository.js';
import { DeleteUserService } from '../../../libs/identity/src/services/delete-user.service.js';
import { RecordingAccessTokenRevocation } from '../../../libs/identity/src/testing/recording-access-token.revocation.js';
import { openLastAdminDatabase, type LastAdminDatabase } from './last-admin-database.js';

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

describe('DeleteUserService against PostgreSQL: the last administrator', () => {
  let database: LastAdminDatabase;
  let users: TypeormUserRepository;
  let service: DeleteUserService;
  let revocation: SlowAccessTokenRevocation;

  beforeAll(async () => {
    database = await openLastAdminDatabase('last_admin');
    const transactions = new TransactionRunner(database.dataSource);
    users = new TypeormUserRepository(transactions);
    revocation = new SlowAccessTokenRevocation();
    service = new DeleteUserService(
      users,
      new TypeormRefreshTokenRepository(transactions),
      revocation,
      transactions,
    );
  });

  afterAll(() => database?.close());

  beforeEach(() => database.deleteAllUsers());

  const admin = (): Promise<User> => database.admin(users);
  const remainingAdmins = (): Promise<string[]> => database.remainingAdmins();

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
      await database.deleteAllUsers();
    }
  });
});
