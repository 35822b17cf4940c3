import { AsyncResource } from 'node:async_hooks';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { DatabaseConnection } from '#lib/database';
import { equalJitterDelay, PollingLoop } from '#lib/resilience';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';
import { MessagingClient } from '../client/messaging.client.js';
import { RpcError } from '../errors/rpc-error.js';
import {
  MESSAGING_OPTIONS,
  type ResolvedMessagingOptions,
  type ResolvedOutboxRelayOptions,
} from '../messaging-options.js';
import { outboxChannel } from './outbox.channel.js';
import {
  type ClaimedOutboxRow,
  type ClaimScope,
  type FailedPublish,
  OutboxClaims,
  type RunStatement,
} from './outbox-claims.js';
import { OutboxMessageMapper } from './outbox-message.mapper.js';
import { OutboxRelayMetrics } from './outbox-relay.metrics.js';
import { MessagingSchemas } from '../tables/messaging-schemas.js';

/** Rows a claim took, and the promise that settles once they are published and marked. */
interface ClaimedBatch {
  readonly claimed: number;
  readonly settled: Promise<void>;
}

type PublishResult =
  | { readonly row: ClaimedOutboxRow; readonly published: true }
  | { readonly row: ClaimedOutboxRow; readonly published: false; readonly error: string };

const RELISTEN_AFTER_MS = 30_000;

/**
 * Publish slots held for outbox rows their writer inserts already leased (ADR 0063): `publish`
 * hands the committed rows over, `release` gives the slots back. Exactly one of them, once.
 */
export interface ReservedPublishSlots {
  /** The lease to write with the rows, as a claim would. */
  readonly leaseMs: number;
  publish(rows: readonly ClaimedOutboxRow[]): void;
  release(): void;
}

/**
 * Publishes committed outbox rows through the transport, then marks them: at least once, and
 * without holding a transaction (or a pooled connection) while a publish waits.
 *
 * 1. Claim: one short statement leases up to a batch of due rows (`FOR UPDATE SKIP LOCKED`, so
 *    concurrent relays claim different rows) and commits. It runs on the relay's own connection
 *    (the one that LISTENs), not the app's pool: with the pool taken by requests and handlers,
 *    every event of the app would wait for a connection (in the split saga bench, a claim waited
 *    2.7 s behind 19 others). The pool serves it only while that connection is down.
 * 2. Publish: outside any transaction, every claimed row at once, each with the publish timeout.
 *    A relay has at most `publishConcurrency` publishes in flight and claims only for free slots,
 *    so one slow consumer holds one slot while the relay goes on claiming and publishing the rest.
 * 3. Mark: once all rows of the claim have settled, the confirmed ones are marked published (a
 *    statement per outbox, shared with the claims settling meanwhile) and the failed ones are
 *    scheduled again with exponential backoff, never giving up.
 *
 * Rows this process writes while slots are free skip the claim: they are inserted already leased to
 * this relay and handed over as their transaction commits (reservePublishSlots, ADR 0063).
 *
 * A relay that dies between claim and mark leaves leased rows; they are claimed again once the
 * lease (longer than the publish timeout) has run out, and consumers deduplicate by envelope id.
 * Rows are claimed in insertion order but published in parallel, so consumers must not rely on
 * the order of events (docs/adr/0017-outbox-relay-leases.md).
 *
 * It sleeps between polls and is woken by Postgres NOTIFY as soon as a transaction that wrote to
 * one of its outboxes commits (each context has a channel of its own, so other apps' commits do
 * not wake it), and by a freed publish slot when a claim found none free. A pass woken by a commit
 * claims from the outboxes announced since the last pass only; a poll claims from all of them,
 * which finds the rows no commit announces: retries come due, leases of a dead relay run out.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly settings: ResolvedOutboxRelayOptions;
  private readonly claims: OutboxClaims;
  private readonly polling: PollingLoop;
  /** Batches being published or marked, so that stop() can wait for them. */
  private readonly batches = new Set<Promise<void>>();
  /** Claimed rows whose publish has not settled: each holds one publish slot. */
  private publishing = 0;
  /** Slots held for rows being inserted already leased (reservePublishSlots). */
  private reserved = 0;
  /** Past its start-up wait and not stopping: rows may be handed over. */
  private acceptingHandOvers = false;
  /** Starts publishing in the context the loop runs in, whoever calls it (see reservePublishSlots). */
  private startInLoopContext: (rows: readonly ClaimedOutboxRow[]) => void = () => undefined;
  /** A pass found every publish slot taken: the next freed slot must wake the loop. */
  private waitingForSlot = false;
  private listener?: pg.Client;
  private lastListenAttempt = 0;
  /** When the next pass claims from every outbox, not only the announced ones (performance.now). */
  private everyContextClaimDueAt = 0;
  private readonly schemaOfChannel: ReadonlyMap<string, string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly client: MessagingClient,
    @Inject(MESSAGING_OPTIONS) options: Pick<ResolvedMessagingOptions, 'relay' | 'owner'>,
    /** The contexts this app runs: it relays their outboxes, and no other. */
    private readonly schemas: MessagingSchemas,
    @Optional() private readonly connection?: DatabaseConnection,
    @Optional() private readonly metrics?: OutboxRelayMetrics,
  ) {
    this.settings = options.relay;
    // Each app relays its own events only: replicas of it share them, other apps never take them.
    this.claims = new OutboxClaims(dataSource, schemas, options.owner, metrics);
    this.schemaOfChannel = new Map(schemas.names.map((schema) => [outboxChannel(schema), schema]));
    this.polling = new PollingLoop(
      {
        ready: () => this.whenReady(),
        poll: () => this.claimAndPublish(),
        // Publishes in flight end (each by its timeout) and are marked before the relay stops.
        finish: async () => {
          await Promise.all(this.batches);
          await this.unlisten();
        },
      },
      this.settings.pollIntervalMs,
      (error: unknown) => {
        this.logger.error({ err: error }, 'the outbox relay stopped unexpectedly');
      },
    );
  }

  get isRunning(): boolean {
    return this.polling.isRunning;
  }

  /** Publishes in flight now: claimed rows whose transport has not confirmed or failed yet. */
  get inFlight(): number {
    return this.publishing;
  }

  onApplicationBootstrap(): void {
    if (this.settings.enabled) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Starts relaying in the background: waits for the database and the transport, then loops. */
  start(): void {
    this.startInLoopContext = AsyncResource.bind((rows: readonly ClaimedOutboxRow[]) => {
      this.track(this.takeOver(rows).then((batch) => batch.settled));
    });
    this.polling.start();
  }

  /**
   * Claims nothing more, waits for the publishes in flight (each ends by its timeout) and marks
   * them. A batch abandoned at a fault hook (or by a killed process) comes back when its lease ends.
   */
  async stop(): Promise<void> {
    this.acceptingHandOvers = false;
    await this.polling.stop();
  }

  /** Asks for a poll now rather than at the next interval. */
  wake(): void {
    this.polling.wake();
  }

  /**
   * One pass: claims up to a batch of due rows (no more than the free publish slots), publishes
   * them and marks them. Returns how many rows it claimed.
   */
  async relayBatch(): Promise<number> {
    const batch = await this.claimBatch(this.claimLimit(), 'every-context');
    await batch.settled;
    return batch.claimed;
  }

  /**
   * Holds `count` publish slots for rows their writer inserts already leased, so they are published
   * as soon as their transaction commits, without a NOTIFY, a claim or a wait for the loop (ADR
   * 0063). Null when the relay is not running, is stopping or has fewer free slots: insert the rows
   * unleased and let the NOTIFY wake a relay, as before. Rows handed over are published from the
   * loop's async context, not the writer's (a request's scope, its span), like claimed rows.
   */
  reservePublishSlots(count: number): ReservedPublishSlots | null {
    if (!this.acceptingHandOvers || count === 0 || this.freeSlots() < count) return null;
    this.reserved += count;
    let settled = false;
    const settle = () => {
      if (settled) throw new Error('reserved publish slots are used once');
      settled = true;
      this.reserved -= count;
    };
    return {
      leaseMs: this.settings.leaseMs,
      publish: (rows) => {
        settle();
        if (this.acceptingHandOvers) this.startInLoopContext(rows);
        else this.giveBack(rows);
      },
      release: () => {
        settle();
        this.slotFreed();
      },
    };
  }

  /**
   * Rows handed over while stopping: their lease is cleared, so the next poll of any relay of the
   * app (a replica's, this one's after a restart) claims them rather than waiting out the lease.
   * Should that fail too (the pool already closed), the lease still brings them back.
   */
  private giveBack(rows: readonly ClaimedOutboxRow[]): void {
    const retries = rows.map((row) => ({ row, error: 'handed over while stopping', retryInMs: 0 }));
    this.claims.settle([], retries).catch((error: unknown) => {
      this.logger.warn(
        `outbox rows handed over while stopping stay leased until their lease ends: ${describe(error)}`,
      );
    });
  }

  /** Claims rows and starts publishing them; the claim has committed when this resolves. */
  private async claimBatch(limit: number, scope: ClaimScope): Promise<ClaimedBatch> {
    if (limit === 0) return { claimed: 0, settled: Promise.resolve() };
    const rows = await this.claims.claim(limit, this.settings.leaseMs, this.ownConnection(), scope);
    if (rows.length === 0) return { claimed: 0, settled: Promise.resolve() };
    return this.takeOver(rows);
  }

  /** Starts publishing rows leased to this relay (claimed, or handed over), then marking them. */
  private async takeOver(rows: readonly ClaimedOutboxRow[]): Promise<ClaimedBatch> {
    this.publishing += rows.length;
    try {
      await this.settings.hooks.afterClaim?.(rows.map((row) => row.id));
    } catch (error) {
      this.publishing -= rows.length;
      this.slotFreed();
      throw error;
    }
    return { claimed: rows.length, settled: this.publishAndMark(rows) };
  }

  private async publishAndMark(rows: readonly ClaimedOutboxRow[]): Promise<void> {
    const results = await Promise.all(rows.map((row) => this.publish(row)));
    const published: ClaimedOutboxRow[] = [];
    const failed: FailedPublish[] = [];
    for (const result of results) {
      if (result.published) published.push(result.row);
      else failed.push(this.retryOf(result.row, result.error));
    }

    await this.settings.hooks.afterPublish?.(published.map((row) => row.id));
    await this.claims.settle(published, failed);
    this.metrics?.recordPublished(published.length);
    this.metrics?.recordFailures(failed.length);
  }

  /** Never rejects: a failure is a result, so one row cannot keep the others from being marked. */
  private async publish(row: ClaimedOutboxRow): Promise<PublishResult> {
    const startedAt = performance.now();
    try {
      await this.client.emit(OutboxMessageMapper.toEnvelope(row), {
        timeoutMs: this.settings.publishTimeoutMs,
      });
      this.metrics?.recordPublishDuration('published', secondsSince(startedAt));
      return { row, published: true };
    } catch (error) {
      this.metrics?.recordPublishDuration('failed', secondsSince(startedAt));
      return { row, published: false, error: describe(error) };
    } finally {
      this.publishing -= 1;
      this.slotFreed();
    }
  }

  /**
   * Only a loop that found no free slot waits for one; waking it after every publish would cost a
   * claim that finds nothing per row.
   */
  private slotFreed(): void {
    if (this.waitingForSlot) {
      this.waitingForSlot = false;
      this.polling.wake();
    }
  }

  private retryOf(row: ClaimedOutboxRow, error: string): FailedPublish {
    // Exponential, capped, with jitter so that rows failed together are not retried together.
    const { retryBaseMs, retryMaxMs } = this.settings;
    const retryInMs = equalJitterDelay(row.attempts, {
      baseDelayMs: retryBaseMs,
      maxDelayMs: retryMaxMs,
    });
    this.logger.warn(
      `publishing outbox message ${row.id} failed (attempt ${row.attempts}, retry in ${retryInMs} ms): ${error}`,
    );
    return { row, error, retryInMs };
  }

  /** A batch, but no more rows than free publish slots: a claimed row never waits for a slot. */
  private claimLimit(): number {
    return Math.min(this.settings.batchSize, Math.max(0, this.freeSlots()));
  }

  private freeSlots(): number {
    return this.settings.publishConcurrency - this.publishing - this.reserved;
  }

  /**
   * One pass of the loop. All it asked for means more may be waiting: go on at once (true).
   * Otherwise sleep until a commit, a freed publish slot or the next poll.
   */
  private async claimAndPublish(): Promise<boolean> {
    await this.ensureListening();
    const wanted = this.claimLimit();
    this.waitingForSlot = wanted === 0;
    if (wanted === 0) return false;
    const scope = this.claimScope();
    if (!this.claims.hasWork(scope)) return false;
    let claimed = 0;
    try {
      const batch = await this.claimBatch(wanted, scope);
      claimed = batch.claimed;
      this.track(batch.settled);
    } catch (error) {
      this.logger.error({ err: error }, `outbox relay claim failed: ${describe(error)}`);
    }
    return claimed === wanted;
  }

  /**
   * Every outbox at each poll, and on every pass while no LISTEN connection announces commits;
   * otherwise only the announced ones. Due again half an interval after: a poll the loop times (an
   * interval after the last pass) always finds it due.
   */
  private claimScope(): ClaimScope {
    const now = performance.now();
    if (this.listener && now < this.everyContextClaimDueAt) return 'announced';
    this.everyContextClaimDueAt = now + this.settings.pollIntervalMs / 2;
    return 'every-context';
  }

  private track(batch: Promise<void>): void {
    const tracked = batch
      .catch((error: unknown) => {
        this.logger.error({ err: error }, `outbox relay batch failed: ${describe(error)}`);
      })
      .finally(() => this.batches.delete(tracked));
    this.batches.add(tracked);
  }

  /** Statements on the listening connection, while there is one (pg.Client runs them in turn). */
  private ownConnection(): RunStatement | undefined {
    const listener = this.listener;
    if (!listener) return undefined;
    return async <T>(statement: string, parameters: readonly unknown[]) =>
      (await listener.query(statement, [...parameters])).rows as T[];
  }

  private async whenReady(): Promise<void> {
    await this.connection?.whenReady();
    await this.client.connect();
    this.acceptingHandOvers = !this.polling.isStopping;
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
    client.on('notification', ({ channel }) => {
      const schema = this.schemaOfChannel.get(channel);
      if (schema !== undefined) this.claims.announce(schema);
      this.wake();
    });
    client.on('error', (error) => {
      this.logger.warn(`outbox notifications lost (${error.message}): polling until reconnected`);
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
    });
    try {
      await client.connect();
      await client.query(
        this.schemas.names.map((schema) => `LISTEN ${outboxChannel(schema)}`).join('; '),
      );
      this.listener = client;
      // Commits made while nobody listened were announced to nobody.
      this.everyContextClaimDueAt = 0;
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

function secondsSince(startedAt: number): number {
  return (performance.now() - startedAt) / 1000;
}
