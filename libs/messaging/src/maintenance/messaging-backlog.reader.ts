import { DataSource } from 'typeorm';

/** What is waiting in the messaging tables right now. */
export interface MessagingBacklog {
  /** Outbox rows not published yet, due or waiting for a retry. */
  readonly pendingOutboxMessages: number;
  /** Age of the oldest of them; 0 when none is pending. */
  readonly oldestPendingAgeSeconds: number;
  readonly deadLetters: number;
  /** Event deliveries stored for a later attempt (`messaging.delivery_retries`). */
  readonly deliveryRetries: number;
  /** Age of the oldest of them, since its first failure; 0 when none is stored. */
  readonly oldestDeliveryRetryAgeSeconds: number;
}

/** A scrape or a health check must answer quickly even when Postgres does not. */
export const DEFAULT_BACKLOG_QUERY_TIMEOUT_MS = 1_000;

// One round trip. Pending rows are found through the relay's partial index (published rows are not
// in it) and are few while the relay keeps up; dead letters are kept few by whoever replays them,
// and stored retries by the retry worker, which deletes each one once it is delivered.
const READ_BACKLOG = `
  SELECT outbox.pending, outbox.oldest_age_seconds, dead.dead_letters,
         retries.delivery_retries, retries.oldest_retry_age_seconds
    FROM (SELECT count(*) AS pending,
                 coalesce(greatest(0, extract(epoch FROM clock_timestamp() - min(created_at))), 0)
                   ::double precision AS oldest_age_seconds
            FROM messaging.outbox
           WHERE published_at IS NULL) AS outbox,
         (SELECT count(*) AS dead_letters FROM messaging.dead_letters) AS dead,
         (SELECT count(*) AS delivery_retries,
                 coalesce(greatest(0, extract(epoch FROM clock_timestamp() - min(created_at))), 0)
                   ::double precision AS oldest_retry_age_seconds
            FROM messaging.delivery_retries) AS retries`;

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
  constructor(
    private readonly dataSource: DataSource,
    private readonly timeoutMs = DEFAULT_BACKLOG_QUERY_TIMEOUT_MS,
  ) {}

  async read(): Promise<MessagingBacklog> {
    const query = this.dataSource.transaction(async (manager) => {
      // Local to this transaction: the pooled connection goes back with its usual timeout.
      await manager.query(`SELECT set_config('statement_timeout', $1, true)`, [
        String(this.timeoutMs),
      ]);
      const [row] = await manager.query<BacklogRow[]>(READ_BACKLOG);
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
