import {
  InvalidCredentialsError,
  TooManyLoginAttemptsError,
} from '../domain/credentials.errors.js';
import { RefreshTokenSecret } from '../domain/refresh-token-secret.js';
import { identityFakes, REFRESH_TOKEN_TTL_SECONDS } from '../testing/identity-fakes.js';
import { PasswordGrantService } from './password-grant.service.js';
import { RegisterUserService } from './register-user.service.js';

const PASSWORD = 'tangerine-bicycle-42';

async function setup(limits: { loginLimitPerAccount?: number; loginLimitPerIp?: number } = {}) {
  const fakes = identityFakes(limits);
  const user = await new RegisterUserService(
    fakes.users,
    fakes.passwordHasher,
    fakes.clock,
  ).register({ email: 'ann@shop.example', password: PASSWORD });
  const service = new PasswordGrantService(
    fakes.users,
    fakes.refreshTokens,
    fakes.passwordHasher,
    fakes.accessTokens,
    fakes.loginAttempts,
    fakes.clock,
    fakes.settings,
  );
  return { ...fakes, user, service };
}

describe('PasswordGrantService', () => {
  it('issues an access token with the user roles and starts a new refresh token family', async () => {
    const { service, user, accessTokens, refreshTokens, clock } = await setup();
    const pair = await service.exchange({
      username: 'ann@shop.example',
      password: PASSWORD,
      clientIp: '10.0.0.1',
    });

    expect(accessTokens.issued).toEqual([{ userId: user.id, roles: ['customer'] }]);
    expect(pair.accessToken).toBe(`access-for:${user.id}:1`);
    expect(pair.expiresInSeconds).toBe(900);
    const [stored] = refreshTokens.all();
    expect(stored).toMatchObject({
      userId: user.id,
      parentId: null,
      tokenHash: RefreshTokenSecret.hashOf(pair.refreshToken),
      expiresAt: new Date(clock.now().getTime() + REFRESH_TOKEN_TTL_SECONDS * 1000),
    });
    expect(stored.familyId).toBe(stored.id);
  });

  it('accepts the username in any case and with surrounding spaces', async () => {
    const { service } = await setup();
    await expect(
      service.exchange({
        username: ' ANN@Shop.Example ',
        password: PASSWORD,
        clientIp: '10.0.0.1',
      }),
    ).resolves.toHaveProperty('refreshToken');
  });

  it.each([
    ['a wrong password', 'ann@shop.example', 'not-the-password-1'],
    ['an unknown user', 'bob@shop.example', PASSWORD],
    ['a username that is not an email', 'bob', PASSWORD],
  ])(
    'answers %s with the same InvalidCredentialsError and issues nothing',
    async (_case, username, password) => {
      const { service, accessTokens, refreshTokens } = await setup();
      await expect(
        service.exchange({ username, password, clientIp: '10.0.0.1' }),
      ).rejects.toBeInstanceOf(InvalidCredentialsError);
      expect(accessTokens.issued).toHaveLength(0);
      expect(refreshTokens.all()).toHaveLength(0);
    },
  );

  it('verifies a password against a dummy hash for an unknown user, so timing is alike', async () => {
    const { service, passwordHasher } = await setup();
    await expect(
      service.exchange({
        username: 'nobody@shop.example',
        password: PASSWORD,
        clientIp: '10.0.0.1',
      }),
    ).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect(passwordHasher.verifications).toBe(1);
  });

  it('blocks an account after its attempt budget, even with the right password', async () => {
    const { service } = await setup({ loginLimitPerAccount: 2 });
    for (const ip of ['10.0.0.1', '10.0.0.2']) {
      await expect(
        service.exchange({
          username: 'ann@shop.example',
          password: 'wrong-password-1',
          clientIp: ip,
        }),
      ).rejects.toBeInstanceOf(InvalidCredentialsError);
    }
    const blocked = service.exchange({
      username: 'ANN@shop.example',
      password: PASSWORD,
      clientIp: '10.0.0.3',
    });
    await expect(blocked).rejects.toBeInstanceOf(TooManyLoginAttemptsError);
    await expect(blocked).rejects.toMatchObject({ retryAfterSeconds: 60, kind: 'rate_limited' });
  });

  it('blocks a client address after its budget, whatever accounts it tries', async () => {
    const { service, passwordHasher } = await setup({ loginLimitPerIp: 2 });
    for (const username of ['a@shop.example', 'b@shop.example']) {
      await expect(
        service.exchange({ username, password: PASSWORD, clientIp: '10.0.0.9' }),
      ).rejects.toBeInstanceOf(InvalidCredentialsError);
    }
    const verificationsBefore = passwordHasher.verifications;
    await expect(
      service.exchange({ username: 'ann@shop.example', password: PASSWORD, clientIp: '10.0.0.9' }),
    ).rejects.toBeInstanceOf(TooManyLoginAttemptsError);
    expect(passwordHasher.verifications).toBe(verificationsBefore);
    await expect(
      service.exchange({ username: 'ann@shop.example', password: PASSWORD, clientIp: '10.0.0.10' }),
    ).resolves.toHaveProperty('accessToken');
  });
});
