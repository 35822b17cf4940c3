import { DataSource } from 'typeorm';

/** A dead letter as an operator sees it. */
export interface DeadLetterSummary {
  readonly id: string;
  readonly consumer: string;
  readonly type: string;
  readonly messageId: string | null;
  readonly reason: string;
  readonly attempts: number;
  readonly createdAt: Date;
}

export type ReplayOutcome = 'replayed' | 'not_found' | 'unreadable';

const LIST = `
  SELECT id, consumer, type, message_id AS "messageId", reason, attempts, created_at AS "createdAt"
    FROM messaging.dead_letters
   ORDER BY created_at, id
   LIMIT $1`;

// One statement: the dead letter becomes a retry due now with a fresh budget, or nothing happens.
// A message that could not even be read has no envelope object to deliver and stays where it is.
const REPLAY = `
  WITH replayed AS (
    DELETE FROM messaging.dead_letters
     WHERE id = ANY($1::uuid[]) AND jsonb_typeof(envelope) = 'object'
    RETURNING id, consumer, type, envelope, reason)
  INSERT INTO messaging.delivery_retries
         (id, consumer, type, envelope, attempts, last_error, next_attempt_at)
  SELECT id, consumer, type, envelope, 0, 'replayed after: ' || reason, clock_timestamp()
    FROM replayed
  RETURNING id`;

/**
 * What `npm run messaging:dead-letters` does: lists dead letters and replays them. A replay turns
 * the dead letter into a retry due now; the running app that has the consumer (monolith or split
 * app, any replica) delivers it with a fresh retry budget, as if it had just arrived.
 */
export class DeadLetterAdmin {
  constructor(private readonly dataSource: DataSource) {}

  list(limit = 100): Promise<DeadLetterSummary[]> {
    return this.dataSource.query<DeadLetterSummary[]>(LIST, [limit]);
  }

  async replay(id: string): Promise<ReplayOutcome> {
    const [replayed] = await this.replayIds([id]);
    if (replayed) return 'replayed';
    const [exists] = await this.dataSource.query<unknown[]>(
      'SELECT 1 FROM messaging.dead_letters WHERE id = $1',
      [id],
    );
    return exists ? 'unreadable' : 'not_found';
  }

  /** Replays every readable dead letter; returns how many. */
  async replayAll(): Promise<number> {
    const ids = await this.dataSource.query<{ id: string }[]>(
      'SELECT id FROM messaging.dead_letters',
    );
    return (await this.replayIds(ids.map((row) => row.id))).length;
  }

  private async replayIds(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.dataSource.query<{ id: string }[]>(REPLAY, [ids]);
    return rows.map((row) => row.id);
  }
}
