import { Clock } from '#lib/kernel';
import { Injectable } from '@nestjs/common';
import { RefreshTokenSecret } from '../domain/refresh-token-secret.js';
import { RefreshTokenRepository } from '../repositories/refresh-token.repository.js';

/**
 * Token revocation (RFC 7009), i.e. logout: revokes the presented refresh token's whole family,
 * so no token of that session works any more. Unknown tokens are ignored, as the RFC requires:
 * the answer must not tell a caller whether a token existed.
 */
@Injectable()
export class RevokeRefreshTokenService {
  constructor(
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly clock: Clock,
  ) {}

  async revoke(presentedToken: string): Promise<void> {
    const token = await this.refreshTokens.findByHash(RefreshTokenSecret.hashOf(presentedToken));
    if (token) await this.refreshTokens.revokeFamily(token.familyId, this.clock.now());
  }
}
