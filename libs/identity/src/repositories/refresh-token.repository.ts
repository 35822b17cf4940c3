import type { RefreshToken } from '../domain/refresh-token.js';

/** Refresh tokens persistence port; it is also the DI token. Tokens are found by hash only. */
export abstract class RefreshTokenRepository {
  abstract insert(token: RefreshToken): Promise<void>;

  abstract findByHash(tokenHash: string): Promise<RefreshToken | null>;

  /**
   * Like findByHash, and holds the token's row until the surrounding transaction ends, so two
   * requests exchanging the same token are decided one after the other.
   */
  abstract findByHashForUpdate(tokenHash: string): Promise<RefreshToken | null>;

  /**
   * Records the token as used, only if nobody did so before. Returns false when another exchange
   * got there first: the caller lost the race and must not issue a successor.
   */
  abstract markUsed(token: RefreshToken): Promise<boolean>;

  /** Revokes every not yet revoked token of the family; returns how many. */
  abstract revokeFamily(familyId: string, at: Date): Promise<number>;

  /** Removes every token of the user, all families; returns how many. */
  abstract deleteAllOf(userId: string): Promise<number>;
}
