import { DataSource } from 'typeorm';
import { MessagingSchemas } from '../tables/messaging-schemas.js';

/** A dead letter as an operator sees it. */
export interface DeadLetterSummary {
  readonly id: string;
  /** The context whose schema keeps it: the consumer's. */
  readonly context: string;
  readonly consumer: string;
  readonly type: string;
  readonly messageId: string | null;
  readonly reason: string;
  readonly attempts: number;
  readonly createdAt: Date;
}

export type ReplayOutcome = 'replayed' | 'not_found' | 'unreadable';

// Every schema with the full set of messaging tables is a context's (messagingTablesMigration),
// except the shared one of earlier releases: what is left there names no context of this platform.
const FIND_CONTEXTS = `
  SELECT table_schema AS schema
    FROM information_schema.tables
   WHERE table_name IN ('outbox', 'processed_messages', 'dead_letters', 'delivery_retries')
     AND table_schema <> 'messaging'
   GROUP BY table_schema
  HAVING count(*) = 4
   ORDER BY table_schema`;

const list = (schemas: readonly string[]) => `
  SELECT * FROM (${schemas
    .map(
      (schema) => `
    SELECT id, '${schema}' AS context, consumer, type, message_id AS "messageId", reason,
           attempts, created_at AS "createdAt"
      FROM ${MessagingSchemas.table(schema, 'dead_letters')}`,
    )
    .join('\n    UNION ALL')}) AS dead_letters
   ORDER BY "createdAt", id
   LIMIT $1`;

// One statement: the dead letter becomes a retry due now with a fresh budget, in the same
// context's table, or nothing happens. A message that could not even be read has no envelope
// object to deliver and stays where it is.
const replay = (schema: string) => `
  WITH replayed AS (
    DELETE FROM ${MessagingSchemas.table(schema, 'dead_letters')}
     WHERE id = ANY($1::uuid[]) AND jsonb_typeof(envelope) = 'object'
    RETURNING id, consumer, type, envelope, reason)
  INSERT INTO ${MessagingSchemas.table(schema, 'delivery_retries')}
         (id, consumer, type, envelope, attempts, last_error, next_attempt_at)
  SELECT id, consumer, type, envelope, 0, 'replayed after: ' || reason, clock_timestamp()
    FROM replayed
  RETURNING id`;

/**
 * What `npm run messaging:dead-letters` does: lists dead letters and replays them, over every
 * context's dead letters in the database (or the contexts given). A replay turns the dead letter
 * into a retry due now in the same context; the running app that has the consumer (monolith or
 * split app, any replica) delivers it with a fresh retry budget, as if it had just arrived.
 */
export class DeadLetterAdmin {
  private contexts?: Promise<readonly string[]>;

  constructor(
    private readonly dataSource: DataSource,
    schemas?: MessagingSchemas,
  ) {
    if (schemas) this.contexts = Promise.resolve(schemas.names);
  }

  async list(limit = 100): Promise<DeadLetterSummary[]> {
    const schemas = await this.schemas();
    if (schemas.length === 0) return [];
    return this.dataSource.query<DeadLetterSummary[]>(list(schemas), [limit]);
  }

  async replay(id: string): Promise<ReplayOutcome> {
    const [replayed] = await this.replayIds([id]);
    if (replayed) return 'replayed';
    for (const schema of await this.schemas()) {
      const [exists] = await this.dataSource.query<unknown[]>(
        `SELECT 1 FROM ${MessagingSchemas.table(schema, 'dead_letters')} WHERE id = $1`,
        [id],
      );
      if (exists) return 'unreadable';
    }
    return 'not_found';
  }

  /** Replays every readable dead letter; returns how many. */
  async replayAll(): Promise<number> {
    let replayed = 0;
    for (const schema of await this.schemas()) {
      const ids = await this.dataSource.query<{ id: string }[]>(
        `SELECT id FROM ${MessagingSchemas.table(schema, 'dead_letters')}`,
      );
      replayed += (
        await this.replayIn(
          schema,
          ids.map((row) => row.id),
        )
      ).length;
    }
    return replayed;
  }

  private async replayIds(ids: readonly string[]): Promise<string[]> {
    const replayed: string[] = [];
    for (const schema of await this.schemas()) replayed.push(...(await this.replayIn(schema, ids)));
    return replayed;
  }

  private async replayIn(schema: string, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.dataSource.query<{ id: string }[]>(replay(schema), [ids]);
    return rows.map((row) => row.id);
  }

  private schemas(): Promise<readonly string[]> {
    this.contexts ??= this.dataSource
      .query<{ schema: string }[]>(FIND_CONTEXTS)
      .then((rows) =>
        rows.length === 0 ? [] : new MessagingSchemas(rows.map((row) => row.schema)).names,
      )
      .catch((error: unknown) => {
        this.contexts = undefined;
        throw error;
      });
    return this.contexts;
  }
}
