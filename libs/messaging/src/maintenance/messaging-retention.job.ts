import {
  type BeforeApplicationShutdown,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { DatabaseConnection } from '#lib/database';
import type { DataSource } from 'typeorm';
import { MessagingSchemas } from '../tables/messaging-schemas.js';
import type { ResolvedMessagingRetentionOptions } from './messaging-retention.options.js';

/** What one pass deleted. */
export interface RetentionPass {
  readonly outboxDeleted: number;
  readonly processedDeleted: number;
}

const SECONDS_PER_DAY = 86_400;

// Each statement deletes one bounded batch and commits on its own, so no lock is held for long.
// `ctid = ANY(ARRAY(...))` rather than `ctid IN (...)`: the first deletes by TID scan, the second
// is planned as a hash join over a sequential scan of the whole table. SKIP LOCKED lets replicas
// run passes at the same time without waiting for one another.
const deletePublishedOutboxBatch = (outbox: string) => `
  DELETE FROM ${outbox}
   WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM ${outbox}
          WHERE published_at < clock_timestamp() - make_interval(secs => $1::double precision)
          LIMIT $2
            FOR UPDATE SKIP LOCKED))`;

const deleteProcessedBatch = (processed: string) => `
  DELETE FROM ${processed}
   WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM ${processed}
          WHERE processed_at < clock_timestamp() - make_interval(secs => $1::double precision)
          LIMIT $2
            FOR UPDATE SKIP LOCKED))`;

/**
 * Keeps the outbox and processed messages of every context the app runs bounded
 * (`<context>.outbox`, `<context>.processed_messages`): every interval it deletes
 * published outbox rows and processed message ids past their retention, batch by batch. Unpublished
 * rows are never touched, however old. It runs in every replica; passes that overlap skip each
 * other's rows. The timer does not keep the process alive, and shutdown waits for the batch in
 * progress only.
 */
export class MessagingRetentionJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MessagingRetentionJob.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly schemas: MessagingSchemas,
    private readonly options: ResolvedMessagingRetentionOptions,
    private readonly connection?: Pick<DatabaseConnection, 'isReady'>,
  ) {}

  get isScheduled(): boolean {
    return this.timer !== undefined;
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Schedules a pass every interval; does nothing when the interval is 0 (retention off). */
  start(): void {
    if (this.timer || this.options.intervalMs === 0) return;
    this.stopping = false;
    this.timer = setInterval(() => this.runScheduledPass(), this.options.intervalMs).unref();
  }

  /** Cancels the schedule and waits for the batch in progress; the pass ends there. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stopping = true;
    await this.running;
  }

  /** One pass over both tables of each context, batch after batch until nothing past retention is left. */
  async purge(): Promise<RetentionPass> {
    const { outboxRetentionDays, processedRetentionDays } = this.options;
    let outboxDeleted = 0;
    let processedDeleted = 0;
    for (const schema of this.schemas.names) {
      outboxDeleted += await this.deleteInBatches(
        deletePublishedOutboxBatch(MessagingSchemas.table(schema, 'outbox')),
        outboxRetentionDays,
      );
      processedDeleted += await this.deleteInBatches(
        deleteProcessedBatch(MessagingSchemas.table(schema, 'processed_messages')),
        processedRetentionDays,
      );
    }
    return { outboxDeleted, processedDeleted };
  }

  private runScheduledPass(): void {
    // A pass still running (a large first clean-up) is not joined by a second one.
    if (this.running) return;
    // No database yet: readiness says so already; the next interval tries again.
    if (this.connection && !this.connection.isReady) return;
    this.running = this.purge()
      .then(({ outboxDeleted, processedDeleted }) => {
        if (outboxDeleted > 0 || processedDeleted > 0) {
          this.logger.log({ outboxDeleted, processedDeleted }, 'deleted expired messaging rows');
        }
      })
      .catch((error: unknown) =>
        this.logger.warn(`messaging retention pass failed: ${(error as Error).message}`),
      )
      .finally(() => (this.running = undefined));
  }

  private async deleteInBatches(statement: string, retentionDays: number): Promise<number> {
    const { batchSize } = this.options;
    let total = 0;
    while (!this.stopping) {
      // TypeORM's postgres driver returns [rows, affected count] for DELETE.
      const [, deleted] = await this.dataSource.query<[unknown[], number]>(statement, [
        retentionDays * SECONDS_PER_DAY,
        batchSize,
      ]);
      total += deleted;
      if (deleted < batchSize) break;
    }
    return total;
  }
}
