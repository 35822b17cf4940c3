import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { DatabaseConnection } from '#lib/database';
import { equalJitterDelay, WakeUpLatch } from '#lib/resilience';
import pg from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';
import { MessagingClient } from '../client/messaging.client.js';
import { RpcError } from '../errors/rpc-error.js';
import {
  MESSAGING_OPTIONS,
  type ResolvedMessagingOptions,
  type ResolvedOutboxRelayOptions,
} from '../messaging-options.js';
import { OUTBOX_CHANNEL } from './outbox.channel.js';
import { OutboxMessageMapper, type OutboxRow } from './outbox-message.mapper.js';
import { OutboxRelayMetrics } from './outbox-relay.metrics.js';

interface LockedRow extends OutboxRow {
  readonly attempts: number;
}

interface FailedPublish {
  readonly id: string;
  readonly attempts: number;
  readonly error: string;
}

// Skip rows another relay holds instead of waiting for them: replicas share the work, and a row is
// published by whichever relay locked it. Rows are due once their retry time has come.
const LOCK_DUE_ROWS = `
  SELECT id, type, payload, headers, attempts
    FROM messaging.outbox
   WHERE published_at IS NULL AND next_attempt_at <= clock_timestamp()
   ORDER BY position
   LIMIT $1
     FOR UPDATE SKIP LOCKED`;

const MARK_PUBLISHED = `
  UPDATE messaging.outbox SET published_at = clock_timestamp() WHERE id = ANY($1::uuid[])`;

const SCHEDULE_RETRY = `
  UPDATE messaging.outbox
     SET attempts = attempts + 1,
         last_error = $2,
         next_attempt_at = clock_timestamp() + make_interval(secs => $3::double precision / 1000)
   WHERE id = $1`;

const RELISTEN_AFTER_MS = 30_000;

/**
 * Publishes committed outbox rows through the transport, then marks them: at least once. Each batch
 * is locked `FOR UPDATE SKIP LOCKED` in one transaction that stays open while the batch is
 * published, so a crash anywhere before the mark commits leaves the rows to be published again
 * (consumers deduplicate by envelope id), and concurrent relays never publish the same row.
 *
 * It sleeps between polls and is woken by Postgres NOTIFY as soon as a publishing transaction
 * commits. A publish that fails is retried later with exponential backoff, never given up.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly settings: ResolvedOutboxRelayOptions;
  private readonly wakeUp = new WakeUpLatch();
  private running?: Promise<void>;
  private stopping = false;
  private stopRequested: () => void = () => undefined;
  private listener?: pg.Client;
  private lastListenAttempt = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly client: MessagingClient,
    @Inject(MESSAGING_OPTIONS) options: Pick<ResolvedMessagingOptions, 'relay'>,
    @Optional() private readonly connection?: DatabaseConnection,
    @Optional() private readonly metrics?: OutboxRelayMetrics,
  ) {
    this.settings = options.relay;
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  onApplicationBootstrap(): void {
    if (this.settings.enabled) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Starts relaying in the background: waits for the database and the transport, then loops. */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    const stopped = new Promise<void>((resolve) => (this.stopRequested = resolve));
    this.running = this.loop(stopped).catch((error: unknown) => {
      this.logger.error({ err: error }, 'the outbox relay stopped unexpectedly');
    });
  }

  /** Finishes the batch in progress (or abandons it at a fault hook) and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopRequested();
    this.wakeUp.signal();
    await this.running;
    this.running = undefined;
  }

  /** Asks for a poll now rather than at the next interval. */
  wake(): void {
    this.wakeUp.signal();
  }

  /**
   * One pass: locks up to a batch of due rows, publishes them and marks them in one transaction.
   * Returns how many rows it locked.
   */
  async relayBatch(): Promise<number> {
    return this.dataSource.transaction('READ COMMITTED', async (manager) => {
      const rows = await manager.query<LockedRow[]>(LOCK_DUE_ROWS, [this.settings.batchSize]);
      if (rows.length === 0) return 0;
      const ids = rows.map((row) => row.id);
      await this.settings.hooks.afterFetch?.(ids);

      const published: string[] = [];
      const failed: FailedPublish[] = [];
      for (const row of rows) {
        // Stopping: what is not published yet stays due, untouched, for the next relay.
        if (this.stopping) break;
        try {
          await this.client.emit(OutboxMessageMapper.toEnvelope(row), {
            timeoutMs: this.settings.publishTimeoutMs,
          });
          published.push(row.id);
        } catch (error) {
          failed.push({ id: row.id, attempts: row.attempts + 1, error: describe(error) });
        }
      }

      await this.settings.hooks.afterPublish?.(published);
      if (published.length > 0) await manager.query(MARK_PUBLISHED, [published]);
      this.metrics?.recordPublished(published.length);
      await this.scheduleRetries(manager, failed);
      this.metrics?.recordFailures(failed.length);
      return rows.length;
    });
  }

  private async scheduleRetries(
    manager: EntityManager,
    failed: readonly FailedPublish[],
  ): Promise<void> {
    for (const { id, attempts, error } of failed) {
      const delayMs = this.retryDelayMs(attempts);
      this.logger.warn(
        `publishing outbox message ${id} failed (attempt ${attempts}, retry in ${delayMs} ms): ${error}`,
      );
      await manager.query(SCHEDULE_RETRY, [id, error, delayMs]);
    }
  }

  /** Exponential, capped, with jitter so that rows failed together are not retried together. */
  private retryDelayMs(attempts: number): number {
    const { retryBaseMs, retryMaxMs } = this.settings;
    return equalJitterDelay(attempts, { baseDelayMs: retryBaseMs, maxDelayMs: retryMaxMs });
  }

  private async loop(stopped: Promise<void>): Promise<void> {
    try {
      await Promise.race([this.whenReady(), stopped]);
      while (!this.stopping) {
        await this.ensureListening();
        let locked = 0;
        try {
          locked = await this.relayBatch();
        } catch (error) {
          this.logger.error({ err: error }, `outbox relay batch failed: ${describe(error)}`);
        }
        if (this.stopping) break;
        // A full batch means more may be waiting: go on at once.
        if (locked < this.settings.batchSize) await this.wakeUp.wait(this.settings.pollIntervalMs);
      }
    } finally {
      await this.unlisten();
    }
  }

  private async whenReady(): Promise<void> {
    await this.connection?.whenReady();
    await this.client.connect();
  }

  private async ensureListening(): Promise<void> {
    if (this.listener || Date.now() - this.lastListenAttempt < RELISTEN_AFTER_MS) return;
    this.lastListenAttempt = Date.now();
    const options = this.dataSource.options as PostgresDataSourceOptions;
    const client = new pg.Client({
      connectionString: options.url,
      host: options.host,
      port: options.port,
      user: options.username,
      password: typeof options.password === 'string' ? options.password : undefined,
      database: options.database,
      application_name: 'outbox-relay',
    });
    client.on('notification', () => this.wake());
    client.on('error', (error) => {
      this.logger.warn(`outbox notifications lost (${error.message}): polling until reconnected`);
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.listener = client;
    } catch (error) {
      this.logger.warn(
        `cannot listen for outbox commits (${describe(error)}): polling every ${this.settings.pollIntervalMs} ms`,
      );
      await client.end().catch(() => undefined);
    }
  }

  private async unlisten(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    this.lastListenAttempt = 0;
    await listener?.end().catch(() => undefined);
  }
}

function describe(error: unknown): string {
  if (error instanceof RpcError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
