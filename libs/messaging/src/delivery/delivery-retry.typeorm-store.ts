import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MESSAGING_OWNER } from '../messaging-options.js';
import {
  type ClaimedDeliveryRetry,
  type DeliveryRetry,
  DeliveryRetryStore,
} from './delivery-retry.store.js';

const INSERT_RETRY = `
  INSERT INTO messaging.delivery_retries
         (id, consumer, type, envelope, attempts, last_error, next_attempt_at, owner)
  VALUES ($1, $2, $3, $4::jsonb, $5, $6,
          clock_timestamp() + make_interval(secs => $7::double precision / 1000), $8)`;

// Claimed rows stay in the table under a lease: a process that dies mid-attempt leaves them due
// again once the lease has run out.
const CLAIM_DUE = `
  UPDATE messaging.delivery_retries AS retry
     SET leased_until = clock_timestamp() + make_interval(secs => $3::double precision / 1000)
    FROM (SELECT id FROM messaging.delivery_retries
           WHERE consumer = ANY($1::text[])
             AND ($4::text IS NULL OR owner IS NULL OR owner = $4)
             AND next_attempt_at <= clock_timestamp()
             AND (leased_until IS NULL OR leased_until <= clock_timestamp())
           ORDER BY next_attempt_at
           LIMIT $2
             FOR UPDATE SKIP LOCKED) AS due
   WHERE retry.id = due.id
  RETURNING retry.id, retry.consumer, retry.type, retry.envelope, retry.attempts,
            retry.last_error AS "lastError"`;

const RESCHEDULE = `
  UPDATE messaging.delivery_retries
     SET attempts = $2, last_error = $4, leased_until = NULL,
         next_attempt_at = clock_timestamp() + make_interval(secs => $3::double precision / 1000)
   WHERE id = $1`;

/** Outside any transaction on purpose: the failed handler's transaction has rolled back. */
@Injectable()
export class TypeormDeliveryRetryStore extends DeliveryRetryStore {
  constructor(
    private readonly dataSource: DataSource,
    /** This app (SERVICE_NAME): it delivers its own stored retries only. Unset: every app's. */
    @Optional() @Inject(MESSAGING_OWNER) private readonly owner?: string,
  ) {
    super();
  }

  async schedule(retry: DeliveryRetry, delayMs: number): Promise<void> {
    await this.dataSource.query(INSERT_RETRY, [
      randomUUID(),
      retry.consumer,
      retry.type,
      JSON.stringify(retry.envelope ?? null),
      retry.attempts,
      retry.lastError,
      delayMs,
      this.owner ?? null,
    ]);
  }

  async claimDue(
    consumers: readonly string[],
    limit: number,
    leaseMs: number,
  ): Promise<ClaimedDeliveryRetry[]> {
    if (consumers.length === 0) return [];
    // An UPDATE ... RETURNING comes back from TypeORM as [rows, affected count].
    const [rows] = await this.dataSource.query<[ClaimedDeliveryRetry[], number]>(CLAIM_DUE, [
      consumers,
      limit,
      leaseMs,
      this.owner ?? null,
    ]);
    return rows;
  }

  async reschedule(
    id: string,
    attempts: number,
    delayMs: number,
    lastError: string,
  ): Promise<void> {
    await this.dataSource.query(RESCHEDULE, [id, attempts, delayMs, lastError]);
  }

  async remove(id: string): Promise<void> {
    await this.dataSource.query('DELETE FROM messaging.delivery_retries WHERE id = $1', [id]);
  }
}
