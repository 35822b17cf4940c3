import { OwnAdminRoleRemovalError, UserNotFoundError } from '../domain/user.errors.js';
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
