import {
  InvalidRefreshTokenError,
  RefreshTokenReuseDetectedError,
} from '../domain/refresh-token.errors.js';
import { RefreshTokenSecret } from '../domain/refresh-token-secret.js';
import { identityFakes, REFRESH_TOKEN_TTL_SECONDS } from '../testing/identity-fakes.js';
import { ChangeUserRolesService } from './change-user-roles.service.js';
import { PasswordGrantService } from './password-grant.service.js';
import { RefreshTokenGrantService } from './refresh-token-grant.service.js';
import { RegisterUserService } from './register-user.service.js';

const PASSWORD = 'tangerine-bicycle-42';

async function setup() {
  const fakes = identityFakes();
  const user = await new RegisterUserService(
    fakes.users,
    fakes.passwordHasher,
    fakes.clock,
  ).register({ email: 'ann@shop.example', password: PASSWORD });
  const login = new PasswordGrantService(
    fakes.users,
    fakes.refreshTokens,
    fakes.passwordHasher,
    fakes.accessTokens,
    fakes.loginAttempts,
    fakes.clock,
    fakes.settings,
  );
  const refresh = new RefreshTokenGrantService(
    fakes.users,
    fakes.refreshTokens,
    fakes.accessTokens,
    fakes.unitOfWork,
    fakes.clock,
    fakes.settings,
  );
  const first = await login.exchange({
    username: 'ann@shop.example',
    password: PASSWORD,
    clientIp: '10.0.0.1',
  });
  return { ...fakes, user, login, refresh, first };
}

describe('RefreshTokenGrantService', () => {
  it('rotates: the presented token becomes used and a successor of the same family is issued', async () => {
    const { refresh, first, refreshTokens, clock, unitOfWork } = await setup();
    clock.advanceSeconds(60);
    const second = await refresh.exchange(first.refreshToken);

    expect(second.refreshToken).not.toBe(first.refreshToken);
    const [old, successor] = refreshTokens.all();
    expect(old).toMatchObject({
      tokenHash: RefreshTokenSecret.hashOf(first.refreshToken),
      usedAt: clock.now(),
    });
    expect(successor).toMatchObject({
      tokenHash: RefreshTokenSecret.hashOf(second.refreshToken),
      familyId: old.familyId,
      parentId: old.id,
      usedAt: null,
      expiresAt: new Date(clock.now().getTime() + REFRESH_TOKEN_TTL_SECONDS * 1000),
    });
    expect(unitOfWork.runs).toBe(1);
  });

  it('issues access tokens with the roles the user has now, not those at login', async () => {
    const { refresh, first, user, users, unitOfWork, clock, accessTokens } = await setup();
    await new ChangeUserRolesService(users, unitOfWork, clock).change({
      userId: user.id,
      roles: ['customer', 'admin'],
      changedBy: { id: 'some-admin' },
    });
    await refresh.exchange(first.refreshToken);
    expect(accessTokens.issued.at(-1)).toEqual({ userId: user.id, roles: ['customer', 'admin'] });
  });

  it('detects reuse of a rotated token and revokes the whole family, newest token included', async () => {
    const { refresh, first, refreshTokens } = await setup();
    const second = await refresh.exchange(first.refreshToken);

    await expect(refresh.exchange(first.refreshToken)).rejects.toBeInstanceOf(
      RefreshTokenReuseDetectedError,
    );
    expect(refreshTokens.all().every((token) => token.revokedAt !== null)).toBe(true);
    await expect(refresh.exchange(second.refreshToken)).rejects.toBeInstanceOf(
      InvalidRefreshTokenError,
    );
  });

  it('leaves other families of the same user alone when one family is revoked', async () => {
    const { refresh, login, first } = await setup();
    const otherDevice = await login.exchange({
      username: 'ann@shop.example',
      password: PASSWORD,
      clientIp: '10.0.0.2',
    });
    await refresh.exchange(first.refreshToken);
    await expect(refresh.exchange(first.refreshToken)).rejects.toBeInstanceOf(
      RefreshTokenReuseDetectedError,
    );
    await expect(refresh.exchange(otherDevice.refreshToken)).resolves.toHaveProperty('accessToken');
  });

  it('rejects an expired token without revoking anything', async () => {
    const { refresh, first, clock, refreshTokens } = await setup();
    clock.advanceSeconds(REFRESH_TOKEN_TTL_SECONDS);
    await expect(refresh.exchange(first.refreshToken)).rejects.toBeInstanceOf(
      InvalidRefreshTokenError,
    );
    expect(refreshTokens.all()).toEqual([
      expect.objectContaining({ usedAt: null, revokedAt: null }),
    ]);
  });

  it('rejects an unknown token', async () => {
    const { refresh } = await setup();
    await expect(refresh.exchange(RefreshTokenSecret.generate().value)).rejects.toBeInstanceOf(
      InvalidRefreshTokenError,
    );
  });

  it('treats a lost race (someone marked the token used meanwhile) as reuse', async () => {
    const { refresh, first, refreshTokens } = await setup();
    refreshTokens.markUsed = async () => false;
    await expect(refresh.exchange(first.refreshToken)).rejects.toBeInstanceOf(
      RefreshTokenReuseDetectedError,
    );
    expect(refreshTokens.all()).toHaveLength(1);
    expect(refreshTokens.all()[0].revokedAt).not.toBeNull();
  });

  it('revokes the family of a token whose user no longer exists', async () => {
    const { refresh, first, refreshTokens, users } = await setup();
    users.findById = async () => null;
    await expect(refresh.exchange(first.refreshToken)).rejects.toBeInstanceOf(
      InvalidRefreshTokenError,
    );
    expect(refreshTokens.all()[0].revokedAt).not.toBeNull();
  });
});
