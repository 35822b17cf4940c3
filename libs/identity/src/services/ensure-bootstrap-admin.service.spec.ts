import { WeakPasswordError } from '../domain/user.errors.js';
import { identityFakes } from '../testing/identity-fakes.js';
import { EnsureBootstrapAdminService } from './ensure-bootstrap-admin.service.js';
import { RegisterUserService } from './register-user.service.js';

const ADMIN = { email: 'root@shop.example', password: 'tangerine-bicycle-42' };

function setup(bootstrapAdmin?: { email: string; password: string }) {
  const fakes = identityFakes({ bootstrapAdmin });
  const register = new RegisterUserService(fakes.users, fakes.passwordHasher, fakes.clock);
  return {
    ...fakes,
    register,
    service: new EnsureBootstrapAdminService(fakes.users, register, fakes.settings),
  };
}

describe('EnsureBootstrapAdminService', () => {
  it('does nothing when no admin is configured', async () => {
    const { service, users } = setup();
    await expect(service.ensure()).resolves.toBe('not_configured');
    expect(await users.listInCreationOrder(undefined, 10)).toHaveLength(0);
  });

  it('creates the configured admin once, and reports it present afterwards', async () => {
    const { service, users } = setup(ADMIN);
    await expect(service.ensure()).resolves.toBe('created');
    await expect(service.ensure()).resolves.toBe('already_admin');
    const stored = await users.findByEmail(ADMIN.email);
    expect(stored?.roles).toEqual(['admin']);
    expect(stored?.passwordHash).toBe(`hashed:${ADMIN.password}`);
  });

  it('creates one admin when two replicas run it at once', async () => {
    const { service, users } = setup(ADMIN);
    const outcomes = await Promise.all([service.ensure(), service.ensure()]);
    expect(outcomes.sort()).toEqual(['already_admin', 'created']);
    expect(await users.listInCreationOrder(undefined, 10)).toHaveLength(1);
  });

  it('does not promote an existing customer who registered the admin address first', async () => {
    const { service, register, users } = setup(ADMIN);
    await register.register({ email: ADMIN.email, password: 'someone-elses-password-1' });
    await expect(service.ensure()).resolves.toBe('exists_without_admin_role');
    expect((await users.findByEmail(ADMIN.email))?.roles).toEqual(['customer']);
  });

  it('applies the password policy to the configured password', async () => {
    const { service } = setup({ email: 'root@shop.example', password: 'aaaaaaaaaaaaaaaa' });
    await expect(service.ensure()).rejects.toBeInstanceOf(WeakPasswordError);
  });
});
