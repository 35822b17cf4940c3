import { RefreshToken, type RefreshTokenSnapshot } from '../domain/refresh-token.js';
import { RefreshTokenRepository } from '../repositories/refresh-token.repository.js';

/** Test double of the refresh tokens port. JavaScript runs one call at a time, so no locks are needed. */
export class InMemoryRefreshTokenRepository extends RefreshTokenRepository {
  private readonly rows = new Map<string, RefreshTokenSnapshot>();

  async insert(token: RefreshToken): Promise<void> {
    this.rows.set(token.id, token.toSnapshot());
  }

  async findByHash(tokenHash: string): Promise<RefreshToken | null> {
    const row = [...this.rows.values()].find((candidate) => candidate.tokenHash === tokenHash);
    return row ? RefreshToken.restore(row) : null;
  }

  findByHashForUpdate(tokenHash: string): Promise<RefreshToken | null> {
    return this.findByHash(tokenHash);
  }

  async markUsed(token: RefreshToken): Promise<boolean> {
    const row = this.rows.get(token.id);
    if (!row || row.usedAt !== null || row.revokedAt !== null) return false;
    this.rows.set(token.id, { ...row, usedAt: token.usedAt });
    return true;
  }

  async revokeFamily(familyId: string, at: Date): Promise<number> {
    const family = [...this.rows.values()].filter(
      (row) => row.familyId === familyId && row.revokedAt === null,
    );
    for (const row of family) this.rows.set(row.id, { ...row, revokedAt: at });
    return family.length;
  }

  async deleteAllOf(userId: string): Promise<number> {
    const owned = [...this.rows.values()].filter((row) => row.userId === userId);
    for (const row of owned) this.rows.delete(row.id);
    return owned.length;
  }

  /** For assertions: every stored token, as stored. */
  all(): RefreshTokenSnapshot[] {
    return [...this.rows.values()];
  }
}
