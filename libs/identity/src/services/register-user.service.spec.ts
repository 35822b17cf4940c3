import { jest } from '@jest/globals';
import { EmailTakenError, InvalidEmailError, WeakPasswordError } from '../domain/user.errors.js';
import { identityFakes } from '../testing/identity-fakes.js';
import { RegisterUserService } from './register-user.service.js';

describe('RegisterUserService', () => {
  const setup = () => {
    const fakes = identityFakes();
    return {
      ...fakes,
      service: new RegisterUserService(fakes.users, fakes.passwordHasher, fakes.clock),
    };
  };

  it('stores a customer with the normalised email and only the hash of the password', async () => {
    const { service, users, clock } = setup();
    const user = await service.register({
      email: '  Ann@Shop.Example ',
      password: 'tangerine-bicycle-42',
    });

    const stored = await users.findById(user.id);
    expect(stored?.toSnapshot()).toEqual({
      id: user.id,
      email: 'ann@shop.example',
      passwordHash: 'hashed:tangerine-bicycle-42',
      roles: ['customer'],
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
  });

  it('refuses an email that differs from an existing one only in case and spaces', async () => {
    const { service } = setup();
    await service.register({ email: 'ann@shop.example', password: 'tangerine-bicycle-42' });
    await expect(
      service.register({ email: ' ANN@shop.example', password: 'another-password-77' }),
    ).rejects.toBeInstanceOf(EmailTakenError);
  });

  it('turns a unique-index conflict from a concurrent registration into EmailTakenError', async () => {
    const { service, users } = setup();
    const inserts = [
      service.register({ email: 'ann@shop.example', password: 'tangerine-bicycle-42' }),
      service.register({ email: 'ann@shop.example', password: 'tangerine-bicycle-42' }),
    ];
    const results = await Promise.allSettled(inserts);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((result) => result.status === 'rejected');
    expect(rejected?.reason).toBeInstanceOf(EmailTakenError);
    expect(await users.listInCreationOrder(undefined, 10)).toHaveLength(1);
  });

  it('rejects a weak password before hashing or storing anything', async () => {
    const { service, users, passwordHasher } = setup();
    const hash = jest.spyOn(passwordHasher, 'hash');
    await expect(
      service.register({ email: 'ann@shop.example', password: 'short' }),
    ).rejects.toBeInstanceOf(WeakPasswordError);
    expect(hash).not.toHaveBeenCalled();
    expect(await users.findByEmail('ann@shop.example')).toBeNull();
  });

  it('rejects a malformed email', async () => {
    const { service } = setup();
    await expect(
      service.register({ email: 'not-an-email', password: 'tangerine-bicycle-42' }),
    ).rejects.toBeInstanceOf(InvalidEmailError);
  });

  it('rejects a password made from the email address', async () => {
    const { service } = setup();
    await expect(
      service.register({ email: 'annalee@shop.example', password: 'Annalee-2026-!' }),
    ).rejects.toMatchObject({ details: { violations: ['contains_email'] } });
  });
});
