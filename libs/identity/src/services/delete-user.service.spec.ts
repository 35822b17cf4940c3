import { Email } from '../domain/email.js';
import { User } from '../domain/user.js';
import { LastAdminError, UserNotFoundError } from '../domain/user.errors.js';
import { identityFakes } from '../testing/identity-fakes.js';
import { DeleteUserService } from './delete-user.service.js';
import { PasswordGrantService } from './password-grant.service.js';
import { RegisterUserService } from './register-user.service.js';

const PASSWORD = 'tangerine-bicycle-42';

describe('DeleteUserService', () => {
  async function setup() {
    const fakes = identityFakes();
    const register = new RegisterUserService(fakes.users, fakes.passwordHasher, fakes.clock);
    const login = new PasswordGrantService(
      fakes.users,
      fakes.refreshTokens,
      fakes.passwordHasher,
      fakes.accessTokens,
      fakes.loginAttempts,
      fakes.clock,
      fakes.settings,
    );
    const ann = await register.register({ email: 'ann@shop.example', password: PASSWORD });
    const bob = await register.register({ email: 'bob@shop.example', password: PASSWORD });
    // Two logins: two refresh-token families for Ann, one for Bob.
    for (const username of ['ann@shop.example', 'ann@shop.example', 'bob@shop.example']) {
      await login.exchange({ username, password: PASSWORD, clientIp: '10.0.0.1' });
    }
    const service = new DeleteUserService(
      fakes.users,
      fakes.refreshTokens,
      fakes.accessTokenRevocation,
      fakes.unitOfWork,
    );
    const admin = async (email: string): Promise<User> => {
      const user = User.register({
        email: Email.parse(email),
        passwordHash: 'hash',
        now: fakes.clock.now(),
        roles: ['admin'],
      });
      await fakes.users.insert(user);
      return user;
    };
    return { ...fakes, ann, bob, service, admin };
  }

  it('removes the user and every refresh-token family, and revokes their access tokens', async () => {
    const { service, ann, bob, users, refreshTokens, accessTokenRevocation, unitOfWork } =
      await setup();

    await service.delete(ann.id);

    expect(await users.findById(ann.id)).toBeNull();
    expect(refreshTokens.all().map((token) => token.userId)).toEqual([bob.id]);
    expect(accessTokenRevocation.revoked).toEqual([ann.id]);
    expect(await users.findById(bob.id)).not.toBeNull();
    expect(unitOfWork.runs).toBe(1);
  });

  it('answers not found for an unknown user, and revokes nothing', async () => {
    const { service, accessTokenRevocation } = await setup();

    await expect(service.delete('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(
      UserNotFoundError,
    );
    expect(accessTokenRevocation.revoked).toEqual([]);
  });

  it('deletes nothing when the revocation cannot be recorded', async () => {
    const { service, ann, users, refreshTokens, accessTokenRevocation } = await setup();
    const outage = Object.assign(new Error('redis down'), { transient: true });
    accessTokenRevocation.failure = outage;

    await expect(service.delete(ann.id)).rejects.toBe(outage);

    expect(await users.findById(ann.id)).not.toBeNull();
    expect(refreshTokens.all().filter((token) => token.userId === ann.id)).toHaveLength(2);
  });

  describe('the last administrator', () => {
    it('is refused with LastAdminError, and nothing is revoked or deleted', async () => {
      const { service, admin, users, accessTokenRevocation } = await setup();
      const only = await admin('root@shop.example');

      await expect(service.delete(only.id)).rejects.toBeInstanceOf(LastAdminError);

      expect(await users.findById(only.id)).not.toBeNull();
      expect(accessTokenRevocation.revoked).toEqual([]);
    });

    it('may go once another admin remains, and the remaining one is then refused', async () => {
      const { service, admin, users } = await setup();
      const first = await admin('first@shop.example');
      const second = await admin('second@shop.example');

      await service.delete(first.id);
      await expect(service.delete(second.id)).rejects.toBeInstanceOf(LastAdminError);

      expect(await users.findById(first.id)).toBeNull();
      expect(await users.findById(second.id)).not.toBeNull();
    });

    it('does not hold back the deletion of a customer', async () => {
      const { service, admin, ann, users } = await setup();
      await admin('root@shop.example');

      await service.delete(ann.id);

      expect(await users.findById(ann.id)).toBeNull();
    });
  });
});
