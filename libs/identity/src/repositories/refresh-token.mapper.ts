import { RefreshToken } from '../domain/refresh-token.js';
import { RefreshTokenRecord } from './refresh-token.record.js';

export const RefreshTokenMapper = {
  toDomain(record: RefreshTokenRecord): RefreshToken {
    return RefreshToken.restore({
      id: record.id,
      userId: record.userId,
      familyId: record.familyId,
      parentId: record.parentId,
      tokenHash: record.tokenHash,
      createdAt: record.createdAt,
      expiresAt: record.expiresAt,
      usedAt: record.usedAt,
      revokedAt: record.revokedAt,
    });
  },

  toRecord(token: RefreshToken): RefreshTokenRecord {
    return Object.assign(new RefreshTokenRecord(), token.toSnapshot());
  },
};
