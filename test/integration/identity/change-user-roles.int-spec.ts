import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionRunner } from '#lib/database';
import { SystemClock } from '#lib/kernel';
import { openTestDataSource } from '#lib/testing';
import type { DataSource } from 'typeorm';
import { Email } from '../../../libs/identity/src/domain/email.js';
import { User } from '../../../libs/identity/src/domain/user.js';
import { LastAdminError } from '../../../libs/identity/src/domain/user.errors.js';
import { IDENTITY_PERSISTENCE } from '../../../libs/identity/src/identity.persistence.js';
import { TypeormUserRepository } from '../../../libs/identity/src/repositories/user.typeorm-repository.js';
import { ChangeUserRolesService } from '../../../libs/identity/src/services/change-user-roles.service.js';
import { uniqueEmail } from '../../support/test-environment.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../saga/throwaway-database.js';

/**
 * A read that takes a while, as under load: without the lock both changes would have seen two
 * administrators before either wrote, and both demotions would succeed.
 */
class SlowUserRepository extends TypeormUserRepository {
  override async findById(id: string): Promise<User | null> {
    const user = await super.findById(id);
    await sleep(50);
    return user;
  }
}

// A database of its own: the last-admin rule counts every administrator, and other suites (and
// the apps they start) create admins in the shared test database at any time.
describe('ChangeUserRolesService against PostgreSQL: the last administrator', () => {
  let throwaway: ThrowawayDatabase;
  let dataSource: DataSource;
  let users: TypeormUserRepository;
  let service: ChangeUserRolesService;

  beforeAll(async () => {
    throwaway = await createThrowawayDatabase('last_admin_roles');
    dataSource = await openTestDataSource({
      url: throwaway.url,
      features: [IDENTITY_PERSISTENCE],
      poolMax: 4,
    });
    const transactions = new TransactionRunner(dataSource);
    users = new SlowUserRepository(transactions);
    service = new ChangeUserRolesService(users, transactions, new SystemClock());
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

  it('lets exactly one of two admins demoting each other at once succeed, every time', async () => {
    for (let round = 0; round < 10; round += 1) {
      const [first, second] = [await admin(), await admin()];

      const outcomes = await Promise.allSettled([
        service.change({ userId: first.id, roles: ['customer'], changedBy: second }),
        service.change({ userId: second.id, roles: ['customer'], changedBy: first }),
      ]);

      const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(refused).toHaveLength(1);
      expect(refused[0].reason).toBeInstanceOf(LastAdminError);
      expect(await remainingAdmins()).toHaveLength(1);
      await dataSource.query('DELETE FROM identity.users');
    }
  });

  it('refuses to demote the only administrator, and still demotes one of two', async () => {
    const [first, second] = [await admin(), await admin()];

    await service.change({ userId: first.id, roles: ['customer'], changedBy: second });
    await expect(
      service.change({ userId: second.id, roles: ['customer'], changedBy: first }),
    ).rejects.toBeInstanceOf(LastAdminError);

    expect(await remainingAdmins()).toEqual([second.id]);
  });
});
