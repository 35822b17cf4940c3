import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionRunner } from '#lib/database';
import { SystemClock } from '#lib/kernel';
import type { User } from '../../../libs/identity/src/domain/user.js';
import { LastAdminError } from '../../../libs/identity/src/domain/user.errors.js';
import { TypeormUserRepository } from '../../../libs/identity/src/repositories/user.typeorm-repository.js';
import { ChangeUserRolesService } from '../../../libs/identity/src/services/change-user-roles.service.js';
import { openLastAdminDatabase, type LastAdminDatabase } from './last-admin-database.js';

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

describe('ChangeUserRolesService against PostgreSQL: the last administrator', () => {
  let database: LastAdminDatabase;
  let users: TypeormUserRepository;
  let service: ChangeUserRolesService;

  beforeAll(async () => {
    database = await openLastAdminDatabase('last_admin_roles');
    const transactions = new TransactionRunner(database.dataSource);
    users = new SlowUserRepository(transactions);
    service = new ChangeUserRolesService(users, transactions, new SystemClock());
  });

  afterAll(() => database?.close());

  beforeEach(() => database.deleteAllUsers());

  const admin = (): Promise<User> => database.admin(users);
  const remainingAdmins = (): Promise<string[]> => database.remainingAdmins();

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
      await database.deleteAllUsers();
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
