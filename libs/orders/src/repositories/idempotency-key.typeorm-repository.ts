import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '#lib/database';
import type { EntityManager } from 'typeorm';
import { IdempotencyKeyRecord } from './idempotency-key.record.js';
import {
  type ClaimOutcome,
  IdempotencyClaimLostError,
  type IdempotencyRecord,
  IdempotencyKeyRepository,
  type NewClaim,
  type StoredResponse,
} from './idempotency-key.repository.js';

// Insert-first: the primary key (customer_id, key) lets exactly one concurrent claim in. The
// DO UPDATE only replaces a completed record that has expired; otherwise nothing is returned.
const CLAIM = `
  INSERT INTO orders.idempotency_keys AS k
    (customer_id, key, request_hash, order_id, created_at, expires_at)
  VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (customer_id, key) DO UPDATE SET
    request_hash = EXCLUDED.request_hash,
    order_id = EXCLUDED.order_id,
    created_at = EXCLUDED.created_at,
    expires_at = EXCLUDED.expires_at,
    response_status = NULL,
    response_body = NULL,
    completed_at = NULL,
    fenced_at = NULL
  WHERE k.completed_at IS NOT NULL AND k.expires_at <= EXCLUDED.created_at
  RETURNING order_id`;

// A claim and a concurrent delete of the record it collided with can each miss the other.
const CLAIM_ATTEMPTS = 3;

function toIdempotencyRecord(record: IdempotencyKeyRecord): IdempotencyRecord {
  return {
    customerId: record.customerId,
    key: record.key,
    requestHash: record.requestHash,
    orderId: record.orderId,
    // The table's CHECK makes status and body present together.
    response:
      record.responseStatus === null || record.responseBody === null
        ? null
        : { status: record.responseStatus, body: record.responseBody },
    fenced: record.fencedAt !== null,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
  };
}

@Injectable()
export class TypeormIdempotencyKeyRepository extends IdempotencyKeyRepository {
  constructor(private readonly transactions: TransactionRunner) {
    super();
  }

  /**
   * Claims, fences and take-overs commit on their own, outside any surrounding transaction: a
   * concurrent request must see them before the order is saved.
   */
  private get standalone(): EntityManager {
    return this.transactions.standalone;
  }

  async claim(claim: NewClaim): Promise<ClaimOutcome> {
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt += 1) {
      const inserted = await this.standalone.query<unknown[]>(CLAIM, [
        claim.customerId,
        claim.key,
        claim.requestHash,
        claim.orderId,
        claim.now,
        claim.expiresAt,
      ]);
      if (inserted.length === 1) return { claimed: true };
      const existing = await this.standalone.getRepository(IdempotencyKeyRecord).findOneBy({
        customerId: claim.customerId,
        key: claim.key,
      });
      if (existing) return { claimed: false, existing: toIdempotencyRecord(existing) };
    }
    throw new Error(`could not claim idempotency key after ${CLAIM_ATTEMPTS} attempts`);
  }

  async fence(customerId: string, key: string, orderId: string): Promise<boolean> {
    // Row-locking: a completion in flight holds the row until it commits, and then this finds it
    // completed (false); once this commits, the completion finds it fenced and rolls back.
    const result = await this.standalone
      .createQueryBuilder()
      .update(IdempotencyKeyRecord)
      .set({ fencedAt: () => 'coalesce(fenced_at, now())' })
      .where(
        'customer_id = :customerId AND key = :key AND order_id = :orderId AND completed_at IS NULL',
        { customerId, key, orderId },
      )
      .execute();
    return result.affected === 1;
  }

  async takeOver(previousOrderId: string, claim: NewClaim): Promise<boolean> {
    const result = await this.standalone
      .createQueryBuilder()
      .update(IdempotencyKeyRecord)
      .set({
        requestHash: claim.requestHash,
        orderId: claim.orderId,
        createdAt: claim.now,
        expiresAt: claim.expiresAt,
        responseStatus: null,
        responseBody: null,
        completedAt: null,
        fencedAt: null,
      })
      .where(
        'customer_id = :customerId AND key = :key AND order_id = :previousOrderId AND completed_at IS NULL',
        { customerId: claim.customerId, key: claim.key, previousOrderId },
      )
      .execute();
    return result.affected === 1;
  }

  async complete(
    customerId: string,
    key: string,
    orderId: string,
    response: StoredResponse,
  ): Promise<void> {
    const result = await this.transactions.manager
      .createQueryBuilder()
      .update(IdempotencyKeyRecord)
      .set({
        responseStatus: response.status,
        responseBody: response.body,
        completedAt: () => 'now()',
      })
      .where(
        `customer_id = :customerId AND key = :key AND order_id = :orderId
           AND completed_at IS NULL AND fenced_at IS NULL`,
        { customerId, key, orderId },
      )
      .execute();
    if (result.affected !== 1) throw new IdempotencyClaimLostError(orderId);
  }

  async abandon(customerId: string, key: string, orderId: string): Promise<void> {
    await this.standalone
      .createQueryBuilder()
      .delete()
      .from(IdempotencyKeyRecord)
      .where(
        'customer_id = :customerId AND key = :key AND order_id = :orderId AND completed_at IS NULL',
        { customerId, key, orderId },
      )
      .execute();
  }

  async findAbandoned(claimedBefore: Date, limit: number): Promise<IdempotencyRecord[]> {
    const records = await this.standalone
      .getRepository(IdempotencyKeyRecord)
      .createQueryBuilder('k')
      .where('k.completed_at IS NULL AND k.created_at <= :claimedBefore', { claimedBefore })
      .orderBy('k.created_at', 'ASC')
      .limit(limit)
      .getMany();
    return records.map(toIdempotencyRecord);
  }

  async deleteExpired(now: Date, limit: number): Promise<number> {
    const result = await this.standalone
      .createQueryBuilder()
      .delete()
      .from(IdempotencyKeyRecord)
      .where(
        `(customer_id, key) IN (
           SELECT customer_id, key FROM orders.idempotency_keys
            WHERE completed_at IS NOT NULL AND expires_at <= :now
            LIMIT :limit)`,
        { now, limit },
      )
      .execute();
    return result.affected ?? 0;
  }
}
