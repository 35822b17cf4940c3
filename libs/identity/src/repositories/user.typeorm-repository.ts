import { Injectable } from '@nestjs/common';
import { isUniqueViolation, TransactionRunner } from '#lib/database';
import type { Repository } from 'typeorm';
import type { User } from '../domain/user.js';
import { EmailTakenError } from '../domain/user.errors.js';
import { UserMapper } from './user.mapper.js';
import { UserRecord } from './user.record.js';
import { type UserPosition, UserRepository } from './user.repository.js';

/** Constraint name fixed by the migration; the adapter translates its violation into a domain error. */
export const USERS_EMAIL_UNIQUE = 'users_email_key';

@Injectable()
export class TypeormUserRepository extends UserRepository {
  constructor(private readonly transactions: TransactionRunner) {
    super();
  }

  /** Resolved per call, so a call inside TransactionRunner.run joins its transaction. */
  private get rows(): Repository<UserRecord> {
    return this.transactions.manager.getRepository(UserRecord);
  }

  async insert(user: User): Promise<void> {
    try {
      await this.rows.insert(UserMapper.toRecord(user));
    } catch (error) {
      if (isUniqueViolation(error, USERS_EMAIL_UNIQUE)) throw new EmailTakenError();
      throw error;
    }
  }

  async findById(id: string): Promise<User | null> {
    const record = await this.rows.findOneBy({ id });
    return record ? UserMapper.toDomain(record) : null;
  }

  async findByEmail(email: string): Promise<User | null> {
    const record = await this.rows.findOneBy({ email });
    return record ? UserMapper.toDomain(record) : null;
  }

  async updateRoles(user: User): Promise<void> {
    await this.rows.update({ id: user.id }, { roles: [...user.roles], updatedAt: user.updatedAt });
  }

  async lockAdministrators(): Promise<string[]> {
    // Locked in id order, so two callers never hold part of the set each (no deadlock). A row a
    // concurrent caller deleted while we waited drops out: READ COMMITTED re-reads locked rows.
    const records = await this.rows
      .createQueryBuilder('u')
      .select('u.id', 'id')
      .where(':role = ANY(u.roles)', { role: 'admin' })
      .orderBy('u.id', 'ASC')
      .setLock('pessimistic_write')
      .getRawMany<{ id: string }>();
    return records.map((record) => record.id);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.rows.delete({ id });
    return (result.affected ?? 0) > 0;
  }

  async listInCreationOrder(after: UserPosition | undefined, limit: number): Promise<User[]> {
    const query = this.rows
      .createQueryBuilder('u')
      .orderBy('u.created_at', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(limit);
    // A row comparison, so the (created_at, id) index serves the seek directly.
    if (after) query.where('(u.created_at, u.id) > (:createdAt, :id)', after);
    const records = await query.getMany();
    return records.map((record) => UserMapper.toDomain(record));
  }
}
