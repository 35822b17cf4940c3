import { ImmediateUnitOfWork, ManualClock } from '#lib/testing';
import { IdentitySettings } from '../services/identity-settings.js';
import { FakeAccessTokenIssuer } from './fake-access-token.issuer.js';
import { FakePasswordHasher } from './fake-password.hasher.js';
import { InMemoryLoginAttemptLimiter } from './in-memory-login-attempt.limiter.js';
import { InMemoryRefreshTokenRepository } from './in-memory-refresh-token.repository.js';
import { InMemoryUserRepository } from './in-memory-user.repository.js';
import { RecordingAccessTokenRevocation } from './recording-access-token.revocation.js';

export const REFRESH_TOKEN_TTL_SECONDS = 3600;

/** One set of port fakes for a unit test, wired like the module wires the real adapters. */
export function identityFakes(
  options: {
    loginLimitPerAccount?: number;
    loginLimitPerIp?: number;
    bootstrapAdmin?: { email: string; password: string };
  } = {},
) {
  const clock = new ManualClock();
  return {
    users: new InMemoryUserRepository(),
    refreshTokens: new InMemoryRefreshTokenRepository(),
    passwordHasher: new FakePasswordHasher(),
    accessTokens: new FakeAccessTokenIssuer(),
    accessTokenRevocation: new RecordingAccessTokenRevocation(),
    loginAttempts: new InMemoryLoginAttemptLimiter(
      options.loginLimitPerAccount ?? 100,
      options.loginLimitPerIp ?? 100,
      () => clock.now().getTime(),
    ),
    clock,
    unitOfWork: new ImmediateUnitOfWork(),
    settings: new IdentitySettings(REFRESH_TOKEN_TTL_SECONDS, options.bootstrapAdmin),
  };
}

export type IdentityFakes = ReturnType<typeof identityFakes>;
