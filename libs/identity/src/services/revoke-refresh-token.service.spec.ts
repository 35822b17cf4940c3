import { InvalidRefreshTokenError } from '../domain/refresh-token.errors.js';
import { identityFakes } from '../testing/identity-fakes.js';
import { PasswordGrantService } from './password-grant.service.js';
import { RefreshTokenGrantService } from './refresh-token-grant.service.js';
import { RegisterUserService } from './register-user.service.js';
import { RevokeRefreshTokenService } from './revoke-refresh-token.service.js';

describe('RevokeRefreshTokenService', () => {
  async function setup() {
    const fakes = identityFakes();
    await new RegisterUserService(fakes.users, fakes.passwordHasher, fakes.clock).register({
      email: 'ann@shop.example',
      password: 'tangerine-bicycle-42',
    });
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
    const revoke = new RevokeRefreshTokenService(fakes.refreshTokens, fakes.clock);
    const first = await login.exchange({
      username: 'ann@shop.example',
      password: 'tangerine-bicycle-42',
      clientIp: '10.0.0.1',
    });
    return { ...fakes, refresh, revoke, first };
  }

  it('revokes the family of an already rotated token, so its newest successor stops working', async () => {
    const { refresh, revoke, first } = await setup();
    const second = await refresh.exchange(first.refreshToken);
    await revoke.revoke(first.refreshToken);
    await expect(refresh.exchange(second.refreshToken)).rejects.toBeInstanceOf(
      InvalidRefreshTokenError,
    );
  });

  it('revokes the presented token itself', async () => {
    const { refresh, revoke, first, refreshTokens } = await setup();
    await revoke.revoke(first.refreshToken);
    expect(refreshTokens.all()[0].revokedAt).not.toBeNull();
    await expect(refresh.exchange(first.refreshToken)).rejects.toBeInstanceOf(
      InvalidRefreshTokenError,
    );
  });

  it('accepts an unknown token silently (RFC 7009)', async () => {
    const { revoke, refreshTokens } = await setup();
    await expect(revoke.revoke('never-issued')).resolves.toBeUndefined();
    expect(refreshTokens.all()[0].revokedAt).toBeNull();
  });
});
