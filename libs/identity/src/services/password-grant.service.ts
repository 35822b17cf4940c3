import { Clock } from '#lib/kernel';
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  InvalidCredentialsError,
  TooManyLoginAttemptsError,
} from '../domain/credentials.errors.js';
import { Email } from '../domain/email.js';
import { RefreshToken } from '../domain/refresh-token.js';
import { RefreshTokenSecret } from '../domain/refresh-token-secret.js';
import { RefreshTokenRepository } from '../repositories/refresh-token.repository.js';
import { UserRepository } from '../repositories/user.repository.js';
import { IdentitySettings } from './identity-settings.js';
import { AccessTokenIssuer } from './ports/access-token-issuer.port.js';
import { LoginAttemptLimiter } from './ports/login-attempt-limiter.port.js';
import { PasswordHasher } from './ports/password-hasher.port.js';
import type { TokenPair } from './token-pair.js';

export interface PasswordGrantCommand {
  readonly username: string;
  readonly password: string;
  readonly clientIp: string;
}

/** OAuth 2.0 resource owner password credentials grant (RFC 6749 §4.3): login. */
@Injectable()
export class PasswordGrantService {
  /** A hash made with the real hasher's parameters (so it costs the same), of a secret nobody knows. */
  private readonly hashOfNoPassword: Promise<string>;

  constructor(
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly passwordHasher: PasswordHasher,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly loginAttempts: LoginAttemptLimiter,
    private readonly clock: Clock,
    private readonly settings: IdentitySettings,
  ) {
    // Made up front, so the first login of an unknown account is not slower than the others.
    this.hashOfNoPassword = passwordHasher.hash(randomBytes(32).toString('base64url'));
    // Marks the rejection handled; should hashing fail, the login that awaits it reports the error.
    this.hashOfNoPassword.catch(() => undefined);
  }

  async exchange(command: PasswordGrantCommand): Promise<TokenPair> {
    const attempt = { account: Email.normalise(command.username), clientIp: command.clientIp };
    const verdict = await this.loginAttempts.registerAttempt(attempt);
    if (!verdict.allowed) throw new TooManyLoginAttemptsError(verdict.retryAfterSeconds);

    const user = await this.users.findByEmail(attempt.account);
    // An unknown account still costs one hash verification, so response times do not tell
    // an attacker which email addresses have accounts.
    const passwordMatches = await this.passwordHasher.verify(
      user?.passwordHash ?? (await this.hashOfNoPassword),
      command.password,
    );
    if (!user || !passwordMatches) throw new InvalidCredentialsError();
    await this.loginAttempts.registerSuccess(attempt);

    const secret = RefreshTokenSecret.generate();
    await this.refreshTokens.insert(
      RefreshToken.startFamily({
        userId: user.id,
        tokenHash: secret.hash,
        now: this.clock.now(),
        ttlSeconds: this.settings.refreshTokenTtlSeconds,
      }),
    );
    const access = await this.accessTokens.issue({ userId: user.id, roles: user.roles });
    return {
      accessToken: access.token,
      expiresInSeconds: access.expiresInSeconds,
      refreshToken: secret.value,
    };
  }
}
