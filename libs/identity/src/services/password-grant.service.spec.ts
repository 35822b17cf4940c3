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

  const attempt = (
    service: PasswordGrantService,
    clientIp: string,
    password: string,
    username = 'ann@shop.example',
  ) => service.exchange({ username, password, clientIp });

  it("does not let a stranger's wrong passwords lock the owner out of another source", async () => {
    const { service } = await setup({ loginLimitPerAccount: 2 });
    for (let guess = 0; guess < 6; guess += 1) {
      await attempt(service, '10.0.0.66', 'wrong-password-1').catch(() => undefined);
    }
    await expect(attempt(service, '10.0.0.66', PASSWORD)).rejects.toBeInstanceOf(
      TooManyLoginAttemptsError,
    );
    await expect(attempt(service, '10.0.0.1', PASSWORD)).resolves.toHaveProperty('accessToken');
  });

  it('delays a guesser with a wait that doubles after each further failure', async () => {
    const { service, clock } = await setup({ loginLimitPerAccount: 2 });
    const waits: number[] = [];
    for (let guess = 0; guess < 5; guess += 1) {
      const outcome = await attempt(service, '10.0.0.66', 'wrong-password-1').catch(
        (error: unknown) => error,
      );
      if (outcome instanceof TooManyLoginAttemptsError) {
        waits.push(outcome.retryAfterSeconds);
        clock.advanceMs(outcome.retryAfterSeconds * 1000);
        guess -= 1;
      } else {
        expect(outcome).toBeInstanceOf(InvalidCredentialsError);
      }
    }
    // Two free failures, then waits of 1 s, 2 s, 4 s: slowed down, never locked out.
    expect(waits).toEqual([1, 2, 4]);
  });

  it("forgets the owner's own failures once they log in", async () => {
    const { service } = await setup({ loginLimitPerAccount: 2 });
    await attempt(service, '10.0.0.1', 'typo-password-1').catch(() => undefined);
    await attempt(service, '10.0.0.1', PASSWORD);
    await expect(attempt(service, '10.0.0.1', 'typo-password-1')).rejects.toBeInstanceOf(
      InvalidCredentialsError,
    );
    await expect(attempt(service, '10.0.0.1', PASSWORD)).resolves.toHaveProperty('accessToken');
  });

  it('limits a source whatever accounts it tries, without counting refused attempts against them', async () => {
    const { service, passwordHasher } = await setup({
      loginLimitPerIp: 2,
      loginLimitPerAccount: 2,
    });
    for (const username of ['a@shop.example', 'b@shop.example']) {
      await expect(attempt(service, '10.0.0.9', PASSWORD, username)).rejects.toBeInstanceOf(
        InvalidCredentialsError,
      );
    }
    const verificationsBefore = passwordHasher.verifications;
    for (let refused = 0; refused < 5; refused += 1) {
      await expect(attempt(service, '10.0.0.9', PASSWORD)).rejects.toMatchObject({
        kind: 'rate_limited',
        retryAfterSeconds: 1,
      });
    }
    expect(passwordHasher.verifications).toBe(verificationsBefore);
    await expect(attempt(service, '10.0.0.10', PASSWORD)).resolves.toHaveProperty('accessToken');
  });
});
