import { Clock } from '#lib/kernel';
import { Injectable, Logger } from '@nestjs/common';
import type { RefreshToken } from '../domain/refresh-token.js';
import {
  InvalidRefreshTokenError,
  RefreshTokenReuseDetectedError,
} from '../domain/refresh-token.errors.js';
import { RefreshTokenSecret } from '../domain/refresh-token-secret.js';
import type { User } from '../domain/user.js';
import { RefreshTokenRepository } from '../repositories/refresh-token.repository.js';
import { UserRepository } from '../repositories/user.repository.js';
import { IdentitySettings } from './identity-settings.js';
import { AccessTokenIssuer } from './ports/access-token-issuer.port.js';
import { UnitOfWork } from './ports/unit-of-work.port.js';
import type { TokenPair } from './token-pair.js';

type Exchange =
  | { readonly outcome: 'rotated'; readonly user: User; readonly successor: RefreshTokenSecret }
  | { readonly outcome: 'reused'; readonly token: RefreshToken }
  | { readonly outcome: 'invalid' };

/**
 * OAuth 2.0 refresh token grant (RFC 6749 §6) with rotation and reuse detection: the presented
 * token is exchanged once for an access token and a successor; presenting it again revokes the
 * whole family, so a stolen token stops working for thief and owner alike.
 */
@Injectable()
export class RefreshTokenGrantService {
  private readonly logger = new Logger(RefreshTokenGrantService.name);

  constructor(
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly settings: IdentitySettings,
  ) {}

  async exchange(presentedToken: string): Promise<TokenPair> {
    const tokenHash = RefreshTokenSecret.hashOf(presentedToken);
    // The revocation after a replay must commit, so the transaction returns the outcome and the
    // error is thrown only after it.
    const exchange = await this.unitOfWork.run(() => this.rotate(tokenHash));
    switch (exchange.outcome) {
      case 'invalid':
        throw new InvalidRefreshTokenError();
      case 'reused':
        this.logger.warn(
          { userId: exchange.token.userId, familyId: exchange.token.familyId },
          'refresh token replayed; its family is revoked',
        );
        throw new RefreshTokenReuseDetectedError();
      case 'rotated': {
        const { user, successor } = exchange;
        const access = await this.accessTokens.issue({ userId: user.id, roles: user.roles });
        return {
          accessToken: access.token,
          expiresInSeconds: access.expiresInSeconds,
          refreshToken: successor.value,
        };
      }
    }
  }

  private async rotate(tokenHash: string): Promise<Exchange> {
    const now = this.clock.now();
    const token = await this.refreshTokens.findByHashForUpdate(tokenHash);
    if (!token) return { outcome: 'invalid' };

    switch (token.status(now)) {
      case 'revoked':
      case 'expired':
        return { outcome: 'invalid' };
      case 'used':
        await this.refreshTokens.revokeFamily(token.familyId, now);
        return { outcome: 'reused', token };
      case 'active':
        break;
    }

    const user = await this.users.findById(token.userId);
    if (!user) {
      await this.refreshTokens.revokeFamily(token.familyId, now);
      return { outcome: 'invalid' };
    }
    const successor = RefreshTokenSecret.generate();
    const next = token.rotate({
      tokenHash: successor.hash,
      now,
      ttlSeconds: this.settings.refreshTokenTtlSeconds,
    });
    // With the row locked this always succeeds; the condition is the guarantee if it ever is not.
    if (!(await this.refreshTokens.markUsed(token))) {
      await this.refreshTokens.revokeFamily(token.familyId, now);
      return { outcome: 'reused', token };
    }
    await this.refreshTokens.insert(next);
    return { outcome: 'rotated', user, successor };
  }
}
