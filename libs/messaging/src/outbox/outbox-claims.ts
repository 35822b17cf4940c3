import type { DataSource } from 'typeorm';
import { MessagingSchemas } from '../tables/messaging-schemas.js';
import { CoalescedMarks } from './coalesced-marks.js';
import type { OutboxRow } from './outbox-message.mapper.js';
import type { OutboxRelayMetrics } from './outbox-relay.metrics.js';

/** A row a relay holds a lease on. Its `attempts` (this claim's number) fences later updates. */
export interface ClaimedOutboxRow extends OutboxRow {
  readonly attempts: number;
  /** The publishing context, whose outbox holds the row. */
  readonly schema: string;
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
const claimDueRows = (outbox: string) => `
  WITH claimed AS (
    UPDATE ${outbox}
       SET lease_until = clock_timestamp() + make_interval(secs => $2::double precision / 1000),
           attempts = attempts + 1
     WHERE id = ANY(ARRAY(
             SELECT id
               FROM ${outbox}
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
const markPublished = (outbox: string) => `
  UPDATE ${outbox}
     SET published_at = clock_timestamp(), lease_until = NULL
   WHERE id = ANY($1::uuid[]) AND published_at IS NULL`;

// A retry is scheduled only by the holder of the row's latest claim (same attempts): a relay whose
// lease ran out must not release a row that another relay has claimed since.
const scheduleRetries = (outbox: string) => `
  UPDATE ${outbox} AS outbox
     SET lease_until = NULL,
         last_error = failed.error,
         next_attempt_at = clock_timestamp() + make_interval(secs => failed.retry_in_ms / 1000)
    FROM unnest($1::uuid[], $2::integer[], $3::text[], $4::double precision[])
         AS failed(id, attempts, error, retry_in_ms)
   WHERE outbox.id = failed.id
     AND outbox.attempts = failed.attempts
     AND outbox.published_at IS NULL`;

/** Runs one statement on its own (autocommit) and returns its rows. */
export type RunStatement = <T>(statement: string, parameters: readonly unknown[]) => Promise<T[]>;

interface OutboxStatements {
  readonly claim: string;
  readonly markPublished: string;
  readonly scheduleRetries: string;
}

/** Which outboxes a claim looks in. */
export type ClaimScope = 'every-context' | 'announced';

/**
 * The relay's short statements on the outboxes of the app's contexts: claim due rows with a lease,
 * and later settle them (published, or due again after a backoff). Nothing is held open in
 * between. Each claim starts at the next context in turn, so a context with a deep backlog cannot
 * keep the others' events waiting.
 * A claim costs a statement per outbox it looks in. Between the relay's polls it looks only in
 * the outboxes a commit was announced for (NOTIFY), or whose last claim took all it asked for:
 * in the monolith a commit to one outbox used to cost a claim in all five.
 */
export class OutboxClaims {
  private readonly statements: ReadonlyMap<string, OutboxStatements>;
  private nextSchema = 0;
  /** Outboxes that may hold rows no claim has looked for since: a commit, or a full claim. */
  private readonly announced = new Set<string>();
  private readonly published = new CoalescedMarks(async (schema, ids) => {
    await this.dataSource.query(this.statementsOf(schema).markPublished, [ids]);
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly schemas: MessagingSchemas,
    /** The app whose rows these are (SERVICE_NAME); undefined takes every app's rows. */
    private readonly owner?: string,
    private readonly metrics?: OutboxRelayMetrics,
  ) {
    this.statements = new Map(
      schemas.names.map((schema) => {
        const outbox = MessagingSchemas.table(schema, 'outbox');
        return [
          schema,
          {
            claim: claimDueRows(outbox),
            markPublished: markPublished(outbox),
            scheduleRetries: scheduleRetries(outbox),
          },
        ];
      }),
    );
  }

  /** A commit to `schema`'s outbox was announced: the next claim looks there. */
  announce(schema: string): void {
    if (this.statements.has(schema)) this.announced.add(schema);
  }

  /** Whether a claim in `scope` would look in any outbox (and so cost a statement). */
  hasWork(scope: ClaimScope): boolean {
    return scope === 'every-context' || this.announced.size > 0;
  }

  /** `run`: where the claim statements go; by default the pool. */
  async claim(
    limit: number,
    leaseMs: number,
    run: RunStatement = (statement, parameters) =>
      this.dataSource.query(statement, [...parameters]),
    scope: ClaimScope = 'every-context',
  ): Promise<ClaimedOutboxRow[]> {
    const { names } = this.schemas;
    const first = this.nextSchema;
    this.nextSchema = (first + 1) % names.length;
    const claimed: ClaimedOutboxRow[] = [];
    for (let offset = 0; offset < names.length && claimed.length < limit; offset += 1) {
      const schema = names[(first + offset) % names.length];
      if (scope === 'announced' && !this.announced.has(schema)) continue;
      // Forgotten before the statement: a commit announced while it runs is looked for next time.
      this.announced.delete(schema);
      const wanted = limit - claimed.length;
      let rows: Omit<ClaimedOutboxRow, 'schema'>[];
      try {
        rows = await run(this.statementsOf(schema).claim, [wanted, leaseMs, this.owner ?? null]);
      } catch (error) {
        this.announced.add(schema);
        throw error;
      }
      this.metrics?.recordClaim(schema, rows.length);
      // All it asked for: more may be waiting there.
      if (rows.length === wanted) this.announced.add(schema);
      claimed.push(...rows.map((row) => ({ ...row, schema })));
    }
    return claimed;
  }

  async settle(
    published: readonly ClaimedOutboxRow[],
    failed: readonly FailedPublish[],
  ): Promise<void> {
    // Each statement on its own, in no transaction (a BEGIN and a COMMIT per batch were two round
    // trips in three): each is complete by itself, and a crash between two leaves rows leased,
    // published again once the lease ends, which at-least-once delivery allows. Marks of published
    // rows are coalesced with those of the other batches settling meanwhile.
    for (const [schema, statements] of this.statements) {
      const publishedHere = published.filter((row) => row.schema === schema);
      const failedHere = failed.filter(({ row }) => row.schema === schema);
      if (publishedHere.length > 0) {
        await this.published.mark(
          schema,
          publishedHere.map((row) => row.id),
        );
      }
      if (failedHere.length > 0) {
        await this.dataSource.query(statements.scheduleRetries, [
          failedHere.map(({ row }) => row.id),
          failedHere.map(({ row }) => row.attempts),
          failedHere.map(({ error }) => error),
          failedHere.map(({ retryInMs }) => retryInMs),
        ]);
      }
    }
  }

  private statementsOf(schema: string): OutboxStatements {
    const statements = this.statements.get(schema);
    if (!statements) throw new Error(`no outbox of context "${schema}" in this app`);
    return statements;
  }
}
