import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '#lib/database';
import { IsNull, type Repository } from 'typeorm';
import type { RefreshToken } from '../domain/refresh-token.js';
import { RefreshTokenMapper } from './refresh-token.mapper.js';
import { RefreshTokenRecord } from './refresh-token.record.js';
import { RefreshTokenRepository } from './refresh-token.repository.js';

@Injectable()
export class TypeormRefreshTokenRepository extends RefreshTokenRepository {
  constructor(private readonly transactions: TransactionRunner) {
    super();
  }

  /** Resolved per call, so a call inside TransactionRunner.run joins its transaction. */
  private get rows(): Repository<RefreshTokenRecord> {
    return this.transactions.manager.getRepository(RefreshTokenRecord);
  }

  async insert(token: RefreshToken): Promise<void> {
    await this.rows.insert(RefreshTokenMapper.toRecord(token));
  }

  async findByHash(tokenHash: string): Promise<RefreshToken | null> {
    const record = await this.rows.findOneBy({ tokenHash });
    return record ? RefreshTokenMapper.toDomain(record) : null;
  }

  /** SELECT ... FOR UPDATE: TypeORM refuses it outside a transaction, which is what we want. */
  async findByHashForUpdate(tokenHash: string): Promise<RefreshToken | null> {
    const record = await this.rows.findOne({
      where: { tokenHash },
      lock: { mode: 'pessimistic_write' },
    });
    return record ? RefreshTokenMapper.toDomain(record) : null;
  }

  async markUsed(token: RefreshToken): Promise<boolean> {
    const { usedAt } = token;
    if (usedAt === null) throw new Error('rotate the token before marking it used');
    // Conditional on the row still being unused: of two concurrent updates, the second waits for
    // the first to commit, re-reads the row, finds used_at set and changes nothing.
    const result = await this.rows.update(
      { id: token.id, usedAt: IsNull(), revokedAt: IsNull() },
      { usedAt },
    );
    return result.affected === 1;
  }

  async revokeFamily(familyId: string, at: Date): Promise<number> {
    const result = await this.rows.update({ familyId, revokedAt: IsNull() }, { revokedAt: at });
    return result.affected ?? 0;
  }

  async deleteAllOf(userId: string): Promise<number> {
    const result = await this.rows.delete({ userId });
    return result.affected ?? 0;
  }
}
