import { jest } from '@jest/globals';
import {
  LastAdminError,
  OwnAdminRoleRemovalError,
  UserNotFoundError,
} from '../domain/user.errors.js';
import { identityFakes } from '../testing/identity-fakes.js';
import { ChangeUserRolesService } from './change-user-roles.service.js';
import { RegisterUserService } from './register-user.service.js';

describe('ChangeUserRolesService', () => {
  async function setup() {
    const fakes = identityFakes();
    const register = new RegisterUserService(fakes.users, fakes.passwordHasher, fakes.clock);
    const admin = await register.register({
      email: 'admin@shop.example',
      password: 'tangerine-bicycle-42',
      roles: ['admin'],
    });
    const customer = await register.register({
      email: 'ann@shop.example',
      password: 'tangerine-bicycle-42',
    });
    const service = new ChangeUserRolesService(fakes.users, fakes.unitOfWork, fakes.clock);
    return { ...fakes, admin, customer, service };
  }

  it('persists new roles in one unit of work', async () => {
    const { service, admin, customer, users, unitOfWork, clock } = await setup();
    clock.advanceSeconds(30);
    const changed = await service.change({
      userId: customer.id,
      roles: ['admin', 'customer'],
      changedBy: admin,
    });

    expect(changed.roles).toEqual(['customer', 'admin']);
    expect((await users.findById(customer.id))?.toSnapshot()).toMatchObject({
      roles: ['customer', 'admin'],
      updatedAt: clock.now(),
    });
    expect(unitOfWork.runs).toBe(1);
  });

  it('refuses to let an admin drop their own admin role and leaves it stored', async () => {
    const { service, admin, users } = await setup();
    await expect(
      service.change({ userId: admin.id, roles: ['customer'], changedBy: admin }),
    ).rejects.toBeInstanceOf(OwnAdminRoleRemovalError);
    expect((await users.findById(admin.id))?.roles).toEqual(['admin']);
  });

  describe('the last administrator', () => {
    async function twoAdmins() {
      const context = await setup();
      const second = await new RegisterUserService(
        context.users,
        context.passwordHasher,
        context.clock,
      ).register({
        email: 'second@shop.example',
        password: 'tangerine-bicycle-42',
        roles: ['admin'],
      });
      return { ...context, second };
    }

    it('keeps the admin role: an admin whose own demotion their token does not show yet cannot demote the last one', async () => {
      const { service, admin, second, users } = await twoAdmins();
      await service.change({ userId: second.id, roles: ['customer'], changedBy: admin });

      await expect(
        service.change({ userId: admin.id, roles: ['customer'], changedBy: second }),
      ).rejects.toBeInstanceOf(LastAdminError);

      expect((await users.findById(admin.id))?.roles).toEqual(['admin']);
      expect((await users.findById(second.id))?.roles).toEqual(['customer']);
    });

    it('locks the administrators before reading the user it demotes', async () => {
      const { service, admin, second, users } = await twoAdmins();
      const calls: string[] = [];
      jest.spyOn(users, 'lockAdministrators').mockImplementation(async () => {
        calls.push('lockAdministrators');
        return [admin.id, second.id];
      });
      const findById = users.findById.bind(users);
      jest.spyOn(users, 'findById').mockImplementation(async (id) => {
        calls.push('findById');
        return findById(id);
      });

      await service.change({ userId: second.id, roles: ['customer'], changedBy: admin });

      expect(calls).toEqual(['lockAdministrators', 'findById']);
    });

    it('takes no lock for a change that keeps or grants the admin role', async () => {
      const { service, admin, customer, users } = await setup();
      const lock = jest.spyOn(users, 'lockAdministrators');

      await service.change({ userId: customer.id, roles: ['admin'], changedBy: admin });
      await service.change({ userId: admin.id, roles: ['admin', 'customer'], changedBy: admin });

      expect(lock).not.toHaveBeenCalled();
    });
  });

  it('reports an unknown user as not found', async () => {
    const { service, admin } = await setup();
    await expect(
      service.change({
        userId: '00000000-0000-4000-8000-000000000000',
        roles: ['customer'],
        changedBy: admin,
      }),
    ).rejects.toBeInstanceOf(UserNotFoundError);
  });
});
