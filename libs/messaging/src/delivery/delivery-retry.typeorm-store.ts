import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MESSAGING_OWNER } from '../messaging-options.js';
import { MessagingSchemas } from '../tables/messaging-schemas.js';
import {
  type ClaimedDeliveryRetry,
  type DeliveryRetry,
  DeliveryRetryStore,
} from './delivery-retry.store.js';

const insertRetry = (retries: string) => `
  INSERT INTO ${retries}
         (id, consumer, type, envelope, attempts, last_error, next_attempt_at, owner)
  VALUES ($1, $2, $3, $4::jsonb, $5, $6,
          clock_timestamp() + make_interval(secs => $7::double precision / 1000), $8)`;

// Claimed rows stay in the table under a lease: a process that dies mid-attempt leaves them due
// again once the lease has run out.
const claimDue = (retries: string) => `
  UPDATE ${retries} AS retry
     SET leased_until = clock_timestamp() + make_interval(secs => $3::double precision / 1000)
    FROM (SELECT id FROM ${retries}
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

// A retry is known by its id only: one statement looks for it in each context's table (the ids
// are UUIDs, so it is in one of them), a primary-key lookup each.
const inEveryContext = (schemas: MessagingSchemas, statement: (retries: string) => string) => {
  const steps = schemas.names.map(
    (schema, index) =>
      `step_${index} AS (${statement(MessagingSchemas.table(schema, 'delivery_retries'))})`,
  );
  return `WITH ${steps.join(',\n')} SELECT 1`;
};

const reschedule = (retries: string) => `
  UPDATE ${retries}
     SET attempts = $2, last_error = $4, leased_until = NULL,
         next_attempt_at = clock_timestamp() + make_interval(secs => $3::double precision / 1000)
   WHERE id = $1`;

const remove = (retries: string) => `DELETE FROM ${retries} WHERE id = $1`;

/**
 * Outside any transaction on purpose: the failed handler's transaction has rolled back. A retry
 * waits in its consumer's context (`orders.mark-order-paid`: `orders.delivery_retries`).
 */
@Injectable()
export class TypeormDeliveryRetryStore extends DeliveryRetryStore {
  private readonly rescheduleStatement: string;
  private readonly removeStatement: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly schemas: MessagingSchemas,
    /** This app (SERVICE_NAME): it delivers its own stored retries only. Unset: every app's. */
    @Optional() @Inject(MESSAGING_OWNER) private readonly owner?: string,
  ) {
    super();
    this.rescheduleStatement = inEveryContext(schemas, reschedule);
    this.removeStatement = inEveryContext(schemas, remove);
  }

  async schedule(retry: DeliveryRetry, delayMs: number): Promise<void> {
    await this.dataSource.query(insertRetry(this.tableOf(retry.consumer)), [
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
    const byTable = new Map<string, string[]>();
    for (const consumer of consumers) {
      const table = this.tableOf(consumer);
      byTable.set(table, [...(byTable.get(table) ?? []), consumer]);
    }
    const claimed: ClaimedDeliveryRetry[] = [];
    for (const [table, tableConsumers] of byTable) {
      if (claimed.length >= limit) break;
      // An UPDATE ... RETURNING comes back from TypeORM as [rows, affected count].
      const [rows] = await this.dataSource.query<[ClaimedDeliveryRetry[], number]>(
        claimDue(table),
        [tableConsumers, limit - claimed.length, leaseMs, this.owner ?? null],
      );
      claimed.push(...rows);
    }
    return claimed;
  }

  async reschedule(
    id: string,
    attempts: number,
    delayMs: number,
    lastError: string,
  ): Promise<void> {
    await this.dataSource.query(this.rescheduleStatement, [id, attempts, delayMs, lastError]);
  }

  async remove(id: string): Promise<void> {
    await this.dataSource.query(this.removeStatement, [id]);
  }

  private tableOf(consumer: string): string {
    return MessagingSchemas.table(this.schemas.ofConsumer(consumer), 'delivery_retries');
  }
}
