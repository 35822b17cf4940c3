import { randomUUID } from 'node:crypto';

export interface RefreshTokenSnapshot {
  readonly id: string;
  readonly userId: string;
  /** Every token descending from one login shares the family id of the first. */
  readonly familyId: string;
  /** The token this one replaced; null for the first of a family. */
  readonly parentId: string | null;
  readonly tokenHash: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
  readonly revokedAt: Date | null;
}

/**
 * What presenting a token means:
 * - `active`: never used, may be exchanged once;
 * - `used`: already exchanged, so presenting it again is a replay (reuse detection);
 * - `revoked` / `expired`: no longer valid, the client must log in again.
 */
export type RefreshTokenStatus = 'active' | 'used' | 'revoked' | 'expired';

/**
 * A rotating refresh token (OAuth 2.0 Security BCP §4.14.2): each one is exchanged at most once,
 * for an access token and its successor in the same family.
 */
export class RefreshToken {
  private constructor(private state: RefreshTokenSnapshot) {}

  /** The first token of a new family, at login. */
  static startFamily(input: {
    userId: string;
    tokenHash: string;
    now: Date;
    ttlSeconds: number;
  }): RefreshToken {
    const id = randomUUID();
    return new RefreshToken({
      id,
      userId: input.userId,
      familyId: id,
      parentId: null,
      tokenHash: input.tokenHash,
      createdAt: input.now,
      expiresAt: new Date(input.now.getTime() + input.ttlSeconds * 1000),
      usedAt: null,
      revokedAt: null,
    });
  }

  static restore(snapshot: RefreshTokenSnapshot): RefreshToken {
    return new RefreshToken({ ...snapshot });
  }

  get id(): string {
    return this.state.id;
  }

  get userId(): string {
    return this.state.userId;
  }

  get familyId(): string {
    return this.state.familyId;
  }

  get usedAt(): Date | null {
    return this.state.usedAt;
  }

  /** Revocation wins over use, and use over expiry: a replayed token is reported even when stale. */
  status(now: Date): RefreshTokenStatus {
    if (this.state.revokedAt !== null) return 'revoked';
    if (this.state.usedAt !== null) return 'used';
    if (now.getTime() >= this.state.expiresAt.getTime()) return 'expired';
    return 'active';
  }

  /** Marks this token used and returns its successor in the same family. */
  rotate(input: { tokenHash: string; now: Date; ttlSeconds: number }): RefreshToken {
    const status = this.status(input.now);
    if (status !== 'active') {
      throw new Error(`not possible to rotate a refresh token that is ${status}`);
    }
    this.state = { ...this.state, usedAt: input.now };
    return new RefreshToken({
      id: randomUUID(),
      userId: this.state.userId,
      familyId: this.state.familyId,
      parentId: this.state.id,
      tokenHash: input.tokenHash,
      createdAt: input.now,
      expiresAt: new Date(input.now.getTime() + input.ttlSeconds * 1000),
      usedAt: null,
      revokedAt: null,
    });
  }

  toSnapshot(): RefreshTokenSnapshot {
    return { ...this.state };
  }
}
