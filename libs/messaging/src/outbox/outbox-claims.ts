import type { DataSource } from 'typeorm';
import type { OutboxRow } from './outbox-message.mapper.js';

/** A row a relay holds a lease on. Its `attempts` (this claim's number) fences later updates. */
export interface ClaimedOutboxRow extends OutboxRow {
  readonly attempts: number;
}

/** A publish that failed: the row is offered again after `retryInMs`. */
export interface FailedPublish {
  readonly row: ClaimedOutboxRow;
  readonly error: string;
  readonly retryInMs: number;
}

// One statement, so one short transaction: the due rows that no live lease holds, oldest first,
// skipping rows another relay is claiming right now. The lease is the only thing that outlives it.
// ARRAY(...) runs the locking subquery exactly once, whatever plan the UPDATE gets.
const CLAIM_DUE_ROWS = `
  WITH claimed AS (
    UPDATE messaging.outbox
       SET lease_until = clock_timestamp() + make_interval(secs => $2::double precision / 1000),
           attempts = attempts + 1
     WHERE id = ANY(ARRAY(
             SELECT id
               FROM messaging.outbox
              WHERE published_at IS NULL
                AND ($3::text IS NULL OR owner IS NULL OR owner = $3)
                AND next_attempt_at <= clock_timestamp()
                AND (lease_until IS NULL OR lease_until <= clock_timestamp())
              ORDER BY position
              LIMIT $1
                FOR UPDATE SKIP LOCKED))
    RETURNING id, position, type, payload, headers, attempts)
  SELECT id, type, payload, headers, attempts FROM claimed ORDER BY position`;

// Published is a fact whoever holds the row now: mark it even if the lease ran out meanwhile.
const MARK_PUBLISHED = `
  UPDATE messaging.outbox
     SET published_at = clock_timestamp(), lease_until = NULL
   WHERE id = ANY($1::uuid[]) AND published_at IS NULL`;

// A retry is scheduled only by the holder of the row's latest claim (same attempts): a relay whose
// lease ran out must not release a row that another relay has claimed since.
const SCHEDULE_RETRIES = `
  UPDATE messaging.outbox AS outbox
     SET lease_until = NULL,
         last_error = failed.error,
         next_attempt_at = clock_timestamp() + make_interval(secs => failed.retry_in_ms / 1000)
    FROM unnest($1::uuid[], $2::integer[], $3::text[], $4::double precision[])
         AS failed(id, attempts, error, retry_in_ms)
   WHERE outbox.id = failed.id
     AND outbox.attempts = failed.attempts
     AND outbox.published_at IS NULL`;

/**
 * The relay's two short transactions on `messaging.outbox`: claim due rows with a lease, and later
 * settle them (published, or due again after a backoff). Nothing is held open in between.
 */
export class OutboxClaims {
  constructor(
    private readonly dataSource: DataSource,
    /** The app whose rows these are (SERVICE_NAME); undefined takes every app's rows. */
    private readonly owner?: string,
  ) {}

  async claim(limit: number, leaseMs: number): Promise<ClaimedOutboxRow[]> {
    return this.dataSource.query<ClaimedOutboxRow[]>(CLAIM_DUE_ROWS, [
      limit,
      leaseMs,
      this.owner ?? null,
    ]);
  }

  async settle(published: readonly string[], failed: readonly FailedPublish[]): Promise<void> {
    if (published.length === 0 && failed.length === 0) return;
    await this.dataSource.transaction('READ COMMITTED', async (manager) => {
      if (published.length > 0) await manager.query(MARK_PUBLISHED, [published]);
      if (failed.length > 0) {
        await manager.query(SCHEDULE_RETRIES, [
          failed.map(({ row }) => row.id),
          failed.map(({ row }) => row.attempts),
          failed.map(({ error }) => error),
          failed.map(({ retryInMs }) => retryInMs),
        ]);
      }
    });
  }
}
