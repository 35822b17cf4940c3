import {
  type ClaimOutcome,
  IdempotencyClaimLostError,
  type IdempotencyRecord,
  IdempotencyKeyRepository,
  type NewClaim,
  type StoredResponse,
} from '../repositories/idempotency-key.repository.js';

const id = (customerId: string, key: string): string => `${customerId}\u0000${key}`;

/**
 * Test double with the adapter's semantics: one claim per (customer, key), an expired completed
 * record is replaced, updates and deletes apply only to the claim held under the given order id, a
 * fenced claim cannot complete.
 * Each method changes the map synchronously, so concurrent calls race as on a unique index.
 */
export class InMemoryIdempotencyKeyRepository extends IdempotencyKeyRepository {
  readonly records = new Map<string, IdempotencyRecord>();

  async claim(claim: NewClaim): Promise<ClaimOutcome> {
    const existing = this.records.get(id(claim.customerId, claim.key));
    if (existing && !(existing.response !== null && existing.expiresAt <= claim.now)) {
      return { claimed: false, existing };
    }
    this.records.set(id(claim.customerId, claim.key), this.recordOf(claim));
    return { claimed: true };
  }

  async fence(customerId: string, key: string, orderId: string): Promise<boolean> {
    const existing = this.records.get(id(customerId, key));
    if (!existing || existing.orderId !== orderId || existing.response !== null) return false;
    this.records.set(id(customerId, key), { ...existing, fenced: true });
    return true;
  }

  async takeOver(previousOrderId: string, claim: NewClaim): Promise<boolean> {
    const existing = this.records.get(id(claim.customerId, claim.key));
    if (!existing || existing.orderId !== previousOrderId || existing.response !== null) {
      return false;
    }
    this.records.set(id(claim.customerId, claim.key), this.recordOf(claim));
    return true;
  }

  async complete(
    customerId: string,
    key: string,
    orderId: string,
    response: StoredResponse,
  ): Promise<void> {
    const existing = this.records.get(id(customerId, key));
    if (
      !existing ||
      existing.orderId !== orderId ||
      existing.response !== null ||
      existing.fenced
    ) {
      throw new IdempotencyClaimLostError(orderId);
    }
    // Stored as JSON text, as the database stores it: the caller's object is not kept.
    const body = JSON.parse(JSON.stringify(response.body)) as object;
    this.records.set(id(customerId, key), { ...existing, response: { ...response, body } });
  }

  async abandon(customerId: string, key: string, orderId: string): Promise<void> {
    const existing = this.records.get(id(customerId, key));
    if (existing && existing.orderId === orderId && existing.response === null) {
      this.records.delete(id(customerId, key));
    }
  }

  async findAbandoned(claimedBefore: Date, limit: number): Promise<IdempotencyRecord[]> {
    return [...this.records.values()]
      .filter((record) => record.response === null && record.createdAt <= claimedBefore)
      .slice(0, limit);
  }

  async deleteExpired(now: Date, limit: number): Promise<number> {
    const expired = [...this.records.entries()]
      .filter(([, record]) => record.response !== null && record.expiresAt <= now)
      .slice(0, limit);
    for (const [key] of expired) this.records.delete(key);
    return expired.length;
  }

  find(customerId: string, key: string): IdempotencyRecord | undefined {
    return this.records.get(id(customerId, key));
  }

  private recordOf(claim: NewClaim): IdempotencyRecord {
    return {
      customerId: claim.customerId,
      key: claim.key,
      requestHash: claim.requestHash,
      orderId: claim.orderId,
      response: null,
      fenced: false,
      createdAt: claim.now,
      expiresAt: claim.expiresAt,
    };
  }
}
