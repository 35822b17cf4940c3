import { DataSource } from 'typeorm';
import { MessagingSchemas } from '../tables/messaging-schemas.js';

/** What is waiting in the messaging tables of the app's contexts right now, all of them together. */
export interface MessagingBacklog {
  /** Outbox rows not published yet, due or waiting for a retry. */
  readonly pendingOutboxMessages: number;
  /** Age of the oldest of them; 0 when none is pending. */
  readonly oldestPendingAgeSeconds: number;
  readonly deadLetters: number;
  /** Event deliveries stored for a later attempt (`<context>.delivery_retries`). */
  readonly deliveryRetries: number;
  /** Age of the oldest of them, since its first failure; 0 when none is stored. */
  readonly oldestDeliveryRetryAgeSeconds: number;
}

/** A scrape or a health check must answer quickly even when Postgres does not. */
export const DEFAULT_BACKLOG_QUERY_TIMEOUT_MS = 1_000;

// One round trip. Pending rows are found through the relay's partial index (published rows are not
// in it) and are few while the relay keeps up; dead letters are kept few by whoever replays them,
// and stored retries by the retry worker, which deletes each one once it is delivered. Each
// context's tables are read in a branch of their own, then summed up.
const readBacklog = (schemas: readonly string[]) => {
  const union = (select: (schema: string) => string) =>
    schemas.map(select).join('\n         UNION ALL ');
  return `
  WITH pending AS (
         ${union((schema) => `SELECT created_at FROM ${MessagingSchemas.table(schema, 'outbox')} WHERE published_at IS NULL`)}),
       dead AS (
         ${union((schema) => `SELECT 1 FROM ${MessagingSchemas.table(schema, 'dead_letters')}`)}),
       retries AS (
         ${union((schema) => `SELECT created_at FROM ${MessagingSchemas.table(schema, 'delivery_retries')}`)})
  SELECT outbox.pending, outbox.oldest_age_seconds, dead.dead_letters,
         retries.delivery_retries, retries.oldest_retry_age_seconds
    FROM (SELECT count(*) AS pending,
                 coalesce(greatest(0, extract(epoch FROM clock_timestamp() - min(created_at))), 0)
                   ::double precision AS oldest_age_seconds
            FROM pending) AS outbox,
         (SELECT count(*) AS dead_letters FROM dead) AS dead,
         (SELECT count(*) AS delivery_retries,
                 coalesce(greatest(0, extract(epoch FROM clock_timestamp() - min(created_at))), 0)
                   ::double precision AS oldest_retry_age_seconds
            FROM retries) AS retries`;
};

interface BacklogRow {
  /** bigint: node-postgres returns it as text. */
  readonly pending: string;
  readonly oldest_age_seconds: number;
  readonly dead_letters: string;
  readonly delivery_retries: string;
  readonly oldest_retry_age_seconds: number;
}

/**
 * Reads the messaging backlog with one query under a short statement timeout, so that metrics and
 * the backlog health check cost little and never hang on a slow or locked table.
 */
export class MessagingBacklogReader {
  private readonly statement: string;

  constructor(
    private readonly dataSource: DataSource,
    schemas: MessagingSchemas,
    private readonly timeoutMs = DEFAULT_BACKLOG_QUERY_TIMEOUT_MS,
  ) {
    this.statement = readBacklog(schemas.names);
  }

  async read(): Promise<MessagingBacklog> {
    const query = this.dataSource.transaction(async (manager) => {
      // Local to this transaction: the pooled connection goes back with its usual timeout.
      await manager.query(`SELECT set_config('statement_timeout', $1, true)`, [
        String(this.timeoutMs),
      ]);
      const [row] = await manager.query<BacklogRow[]>(this.statement);
      return row;
    });
    // The statement timeout does not cover waiting for a free connection in an exhausted pool.
    const row = await withDeadline(query, this.timeoutMs * 2);
    if (!row) throw new Error('the backlog query returned no row');
    return {
      pendingOutboxMessages: Number(row.pending),
      oldestPendingAgeSeconds: row.oldest_age_seconds,
      deadLetters: Number(row.dead_letters),
      deliveryRetries: Number(row.delivery_retries),
      oldestDeliveryRetryAgeSeconds: row.oldest_retry_age_seconds,
    };
  }
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the backlog query took longer than ${ms} ms`)),
      ms,
    ).unref();
  });
  // A late failure after the deadline has nobody to tell; keep it from becoming unhandled.
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
