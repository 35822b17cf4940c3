import { randomUUID } from 'node:crypto';
import { Logger, type LoggerService } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { DatabaseConnection } from '#lib/database';
import {
  createEnvelope,
  DEAD_LETTERS_METRIC,
  DELIVERY_RETRIES_METRIC,
  InProcessTransport,
  MessagingBacklogMetrics,
  MessagingBacklogReader,
  MessagingClient,
  OLDEST_DELIVERY_RETRY_AGE_METRIC,
  OUTBOX_OLDEST_PENDING_AGE_METRIC,
  OUTBOX_PENDING_METRIC,
  OUTBOX_PUBLISH_FAILURES_METRIC,
  OUTBOX_PUBLISHED_METRIC,
  OutboxRelay,
  OutboxRelayMetrics,
  MessagingRetentionJob,
  resolveMessagingRetentionOptions,
  resolveOutboxRelayOptions,
  TypeormDeadLetterStore,
  TypeormDeliveryRetryStore,
} from '#lib/messaging';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
// The file itself, not '#lib/health': that index loads the HTTP controller and, through the
// guards, @nestjs/throttler, which Jest's ESM runtime cannot load.
import { OutboxBacklogHealthIndicator } from '../../../libs/health/src/outbox-backlog.health-indicator.js';
import {
  createMessagingDataSource,
  MESSAGING_TEST_SCHEMAS,
  ORDER_PLACED,
  resetMessagingTables,
  startMessagingTestApp,
  waitFor,
} from './messaging-test-app.js';

const DAY = 86_400;

interface OutboxRow {
  /** Seconds since the row was committed. */
  readonly createdAgo: number;
  /** Seconds since it was published; unpublished when absent. */
  readonly publishedAgo?: number;
}

const notConnected = { isConnected: false, isReady: false } as DatabaseConnection;

/** Captures what Nest's Logger writes, to assert on warnings. */
class RecordingLogger implements LoggerService {
  readonly warnings: string[] = [];
  readonly logs: string[] = [];
  log(message: unknown): void {
    this.logs.push(String(message));
  }
  warn(message: unknown): void {
    this.warnings.push(String(message));
  }
  error(): void {}
}

describe('messaging backlog and retention', () => {
  let dataSource: DataSource;

  /** Inserts outbox rows as the relay would have left them; the relay never sees them (due later). */
  const insertOutbox = async (row: OutboxRow, count = 1): Promise<void> => {
    await dataSource.query(
      `INSERT INTO test.outbox (id, type, payload, headers, created_at, published_at,
                                     next_attempt_at)
       SELECT gen_random_uuid(), 'test.v1.thing', '{}',
              '{"version":1,"occurredAt":"2026-01-01T00:00:00.000Z","correlationId":"c"}',
              clock_timestamp() - make_interval(secs => $1::double precision),
              clock_timestamp() - make_interval(secs => $2::double precision),
              clock_timestamp() + interval '1 hour'
         FROM generate_series(1, $3)`,
      [row.createdAgo, row.publishedAgo ?? null, count],
    );
  };

  const insertProcessed = async (processedAgo: number, count = 1): Promise<void> => {
    await dataSource.query(
      `INSERT INTO test.processed_messages (consumer, message_id, processed_at)
       SELECT 'test.consumer', gen_random_uuid(),
              clock_timestamp() - make_interval(secs => $1::double precision)
         FROM generate_series(1, $2)`,
      [processedAgo, count],
    );
  };

  const insertDeadLetters = (count: number): Promise<void> =>
    Promise.all(
      Array.from({ length: count }, () =>
        new TypeormDeadLetterStore(dataSource, MESSAGING_TEST_SCHEMAS).record({
          consumer: 'test.consumer',
          type: ORDER_PLACED,
          envelope: { malformed: true },
          reason: 'invalid envelope',
          error: { code: 'MESSAGING.VALIDATION_FAILED', message: 'invalid' },
          attempts: 1,
        }),
      ),
    ).then(() => undefined);

  /** Inserts delivery retries as the dispatcher stores them, first stored `storedAgo` seconds ago. */
  const insertDeliveryRetries = async (storedAgo: number, count = 1): Promise<void> => {
    await dataSource.query(
      `INSERT INTO test.delivery_retries (id, consumer, type, envelope, attempts, last_error,
                                               next_attempt_at, created_at)
       SELECT gen_random_uuid(), 'test.consumer', $1, '{}', 2, 'handler failed',
              clock_timestamp() + interval '1 hour',
              clock_timestamp() - make_interval(secs => $2::double precision)
         FROM generate_series(1, $3)`,
      [ORDER_PLACED, storedAgo, count],
    );
  };

  const outboxAges = async (): Promise<{ published: boolean; created_days_ago: number }[]> =>
    dataSource.query(
      `SELECT published_at IS NOT NULL AS published,
              round(extract(epoch FROM clock_timestamp() - created_at) / 86400)::int
                AS created_days_ago
         FROM test.outbox ORDER BY created_at`,
    );

  const count = async (table: string): Promise<number> => {
    const [row] = await dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM test.${table}`,
    );
    return row?.n ?? Number.NaN;
  };

  /** One scrape of the registry: each unlabelled series' value, undefined when left out. */
  const scrape = async (registry: Registry): Promise<Record<string, number | undefined>> => {
    const metrics = await registry.getMetricsAsJSON();
    return Object.fromEntries(metrics.map((metric) => [metric.name, metric.values[0]?.value]));
  };

  beforeAll(async () => {
    dataSource = await createMessagingDataSource('backlog');
  });

  beforeEach(async () => {
    await resetMessagingTables(dataSource);
    await dataSource.query('TRUNCATE test.delivery_retries');
  });

  afterAll(async () => {
    Logger.overrideLogger(false);
    await dataSource.destroy();
  });

  describe('backlog metrics', () => {
    let registry: Registry;
    let metrics: MessagingBacklogMetrics | undefined;

    const startMetrics = (
      reader = new MessagingBacklogReader(dataSource, MESSAGING_TEST_SCHEMAS),
      connection?: Pick<DatabaseConnection, 'isReady'>,
    ): MessagingBacklogMetrics => {
      metrics = new MessagingBacklogMetrics(reader, registry, connection);
      metrics.onModuleInit();
      return metrics;
    };

    beforeEach(() => {
      registry = new Registry();
    });

    afterEach(() => {
      metrics?.onModuleDestroy();
      metrics = undefined;
    });

    it('reports an empty backlog as zeros', async () => {
      startMetrics();

      expect(await scrape(registry)).toEqual({
        [OUTBOX_PENDING_METRIC]: 0,
        [OUTBOX_OLDEST_PENDING_AGE_METRIC]: 0,
        [DEAD_LETTERS_METRIC]: 0,
        [DELIVERY_RETRIES_METRIC]: 0,
        [OLDEST_DELIVERY_RETRY_AGE_METRIC]: 0,
      });
    });

    it('counts unpublished rows, ages the oldest of them and counts dead letters', async () => {
      startMetrics();
      await insertOutbox({ createdAgo: 90 });
      await insertOutbox({ createdAgo: 5 }, 2);
      // Published rows are not backlog, however old.
      await insertOutbox({ createdAgo: 3 * DAY, publishedAgo: 2 * DAY }, 3);
      await insertDeadLetters(2);

      const values = await scrape(registry);

      expect(values[OUTBOX_PENDING_METRIC]).toBe(3);
      expect(values[OUTBOX_OLDEST_PENDING_AGE_METRIC]).toBeGreaterThanOrEqual(90);
      expect(values[OUTBOX_OLDEST_PENDING_AGE_METRIC]).toBeLessThan(120);
      expect(values[DEAD_LETTERS_METRIC]).toBe(2);
    });

    it('counts stored delivery retries and ages the oldest of them', async () => {
      startMetrics();
      await insertDeliveryRetries(600);
      await insertDeliveryRetries(5, 2);

      const values = await scrape(registry);

      expect(values[DELIVERY_RETRIES_METRIC]).toBe(3);
      expect(values[OLDEST_DELIVERY_RETRY_AGE_METRIC]).toBeGreaterThanOrEqual(600);
      expect(values[OLDEST_DELIVERY_RETRY_AGE_METRIC]).toBeLessThan(660);
      // Retries are not outbox backlog, nor dead letters.
      expect(values[OUTBOX_PENDING_METRIC]).toBe(0);
      expect(values[DEAD_LETTERS_METRIC]).toBe(0);
    });

    it('reads the backlog with one query per scrape for all the gauges', async () => {
      let reads = 0;
      const reader = new MessagingBacklogReader(dataSource, MESSAGING_TEST_SCHEMAS);
      const read = reader.read.bind(reader);
      reader.read = () => {
        reads += 1;
        return read();
      };
      startMetrics(reader);

      await registry.metrics();

      expect(reads).toBe(1);
    });

    it('leaves the series out while the database is not connected, without a warning', async () => {
      const logger = new RecordingLogger();
      Logger.overrideLogger(logger);
      startMetrics(new MessagingBacklogReader(dataSource, MESSAGING_TEST_SCHEMAS), notConnected);

      const exposition = await registry.metrics();

      expect(exposition).toContain(`# TYPE ${OUTBOX_PENDING_METRIC} gauge`);
      expect(exposition).not.toMatch(new RegExp(`^${OUTBOX_PENDING_METRIC} `, 'm'));
      expect(await scrape(registry)).toEqual({
        [OUTBOX_PENDING_METRIC]: undefined,
        [OUTBOX_OLDEST_PENDING_AGE_METRIC]: undefined,
        [DEAD_LETTERS_METRIC]: undefined,
        [DELIVERY_RETRIES_METRIC]: undefined,
        [OLDEST_DELIVERY_RETRY_AGE_METRIC]: undefined,
      });
      expect(logger.warnings).toEqual([]);
    });

    it('gives up on a locked table at the statement timeout, warns once per outage, then recovers', async () => {
      const logger = new RecordingLogger();
      Logger.overrideLogger(logger);
      // What Postgres finally answered each backlog transaction the reader started.
      const outcomes: unknown[] = [];
      const observed = new Proxy(dataSource, {
        get(target, property, receiver) {
          if (property !== 'transaction') return Reflect.get(target, property, receiver) as unknown;
          return (...args: Parameters<DataSource['transaction']>) => {
            const query = target.transaction(...args);
            query.then(
              () => outcomes.push('answered'),
              (error: unknown) => outcomes.push(error),
            );
            return query;
          };
        },
      });
      startMetrics(new MessagingBacklogReader(observed, MESSAGING_TEST_SCHEMAS, 200));
      await insertOutbox({ createdAgo: 1 });
      const lock = dataSource.createQueryRunner();
      await lock.startTransaction();
      try {
        await lock.query('LOCK TABLE test.outbox IN ACCESS EXCLUSIVE MODE');

        // Both scrapes answer while the table stays locked: the reader gives up instead of waiting.
        const started = Date.now();
        const first = await scrape(registry);
        const second = await scrape(registry);

        // The reader's bound is 400 ms a scrape; the slack is for a busy machine, not for a hang.
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(first[OUTBOX_PENDING_METRIC]).toBeUndefined();
        expect(second[OUTBOX_OLDEST_PENDING_AGE_METRIC]).toBeUndefined();
        expect(logger.warnings).toHaveLength(1);
        // Which layer reports first depends on the machine's load: the statement timeout (200 ms),
        // or, when the round trip to Postgres is slower than that, the reader's own deadline.
        expect(logger.warnings[0]).toMatch(/statement timeout|took longer than 400 ms/);
        // Whichever it was, Postgres cancelled every backlog query itself, with the lock still
        // held: none is left waiting on the table, holding a pooled connection.
        await waitFor(() => outcomes.length === 2, 10_000);
        for (const outcome of outcomes) expect(String(outcome)).toMatch(/statement timeout/);
      } finally {
        await lock.rollbackTransaction();
        await lock.release();
      }

      expect((await scrape(registry))[OUTBOX_PENDING_METRIC]).toBe(1);
      expect(logger.logs).toContain('messaging backlog metrics are available again');
    });
  });

  describe('relay counters', () => {
    it('counts the events the relay published', async () => {
      const registry = new Registry();
      const messaging = await startMessagingTestApp(dataSource);
      try {
        await messaging.transactions.run(() =>
          messaging.publisher.publish([
            createEnvelope(ORDER_PLACED, { orderId: randomUUID(), totalMinor: 1 }, {}),
            createEnvelope(ORDER_PLACED, { orderId: randomUUID(), totalMinor: 2 }, {}),
          ]),
        );
        const relay = new OutboxRelay(
          dataSource,
          messaging.client,
          { relay: resolveOutboxRelayOptions() },
          MESSAGING_TEST_SCHEMAS,
          undefined,
          new OutboxRelayMetrics(registry),
        );

        expect(await relay.relayBatch()).toBe(2);

        expect(await scrape(registry)).toMatchObject({
          [OUTBOX_PUBLISHED_METRIC]: 2,
          [OUTBOX_PUBLISH_FAILURES_METRIC]: 0,
        });
      } finally {
        await messaging.close();
      }
    });

    it('counts the publishes that failed, and the rows stay pending', async () => {
      const registry = new Registry();
      await dataSource.query(
        `INSERT INTO test.outbox (id, type, payload, headers)
         SELECT gen_random_uuid(), 'test.v1.thing', '{}',
                '{"version":1,"occurredAt":"2026-01-01T00:00:00.000Z","correlationId":"c"}'
           FROM generate_series(1, 2)`,
      );
      // A transport nobody serves: every publish times out.
      const transport = new InProcessTransport(
        new TypeormDeadLetterStore(dataSource, MESSAGING_TEST_SCHEMAS),
        new TypeormDeliveryRetryStore(dataSource, MESSAGING_TEST_SCHEMAS),
      );
      const client = new MessagingClient(transport.createClient(), { rpcTimeoutMs: 50 });
      const relay = new OutboxRelay(
        dataSource,
        client,
        { relay: resolveOutboxRelayOptions({ publishTimeoutMs: 50 }) },
        MESSAGING_TEST_SCHEMAS,
        undefined,
        new OutboxRelayMetrics(registry),
      );

      expect(await relay.relayBatch()).toBe(2);

      expect(await scrape(registry)).toMatchObject({
        [OUTBOX_PUBLISHED_METRIC]: 0,
        [OUTBOX_PUBLISH_FAILURES_METRIC]: 2,
      });
      expect(await outboxAges()).toEqual([
        { published: false, created_days_ago: 0 },
        { published: false, created_days_ago: 0 },
      ]);
    });
  });

  describe('backlog health indicator', () => {
    const indicator = (connection?: DatabaseConnection) =>
      new OutboxBacklogHealthIndicator(
        new HealthIndicatorService(),
        new MessagingBacklogReader(dataSource, MESSAGING_TEST_SCHEMAS),
        connection,
        { outboxMaxAgeSeconds: 60 },
      );

    it('is up while the oldest pending event is younger than the threshold', async () => {
      await insertOutbox({ createdAgo: 30 }, 2);
      await insertOutbox({ createdAgo: DAY, publishedAgo: DAY });

      expect(await indicator().check()).toEqual({
        outbox_backlog: {
          status: 'up',
          pendingMessages: 2,
          oldestPendingAgeSeconds: expect.any(Number) as number,
          maxAgeSeconds: 60,
          deadLetters: 0,
        },
      });
    });

    it('is down once the oldest pending event is older than the threshold', async () => {
      await insertOutbox({ createdAgo: 120 });
      await insertOutbox({ createdAgo: 1 });

      const result = await indicator().check();

      expect(result.outbox_backlog).toEqual(
        expect.objectContaining({
          status: 'down',
          pendingMessages: 2,
          maxAgeSeconds: 60,
          message: 'the oldest unpublished outbox message is older than 60 s',
        }),
      );
      const details = result.outbox_backlog as { oldestPendingAgeSeconds?: number };
      expect(details.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(120);
    });

    it('takes the default threshold of five minutes when given none', async () => {
      await insertOutbox({ createdAgo: 240 });
      const withDefault = new OutboxBacklogHealthIndicator(
        new HealthIndicatorService(),
        new MessagingBacklogReader(dataSource, MESSAGING_TEST_SCHEMAS),
      );

      expect((await withDefault.check()).outbox_backlog).toEqual(
        expect.objectContaining({ status: 'up', maxAgeSeconds: 300 }),
      );
    });

    it('is down, saying why, while the database is not connected', async () => {
      expect(await indicator(notConnected).check()).toEqual({
        outbox_backlog: { status: 'down', message: 'unknown: the database is not connected' },
      });
    });
  });

  describe('retention', () => {
    const job = (options: Parameters<typeof resolveMessagingRetentionOptions>[0] = {}) =>
      new MessagingRetentionJob(
        dataSource,
        MESSAGING_TEST_SCHEMAS,
        resolveMessagingRetentionOptions(options),
      );

    it('deletes published outbox rows and processed ids past retention, and nothing else', async () => {
      await insertOutbox({ createdAgo: 9 * DAY, publishedAgo: 8 * DAY });
      await insertOutbox({ createdAgo: 6 * DAY, publishedAgo: 6 * DAY });
      // Never published, however old: it is backlog, not history.
      await insertOutbox({ createdAgo: 40 * DAY });
      await insertProcessed(31 * DAY);
      await insertProcessed(29 * DAY);

      const pass = await job({ outboxRetentionDays: 7, processedRetentionDays: 30 }).purge();

      expect(pass).toEqual({ outboxDeleted: 1, processedDeleted: 1 });
      expect(await outboxAges()).toEqual([
        { published: false, created_days_ago: 40 },
        { published: true, created_days_ago: 6 },
      ]);
      const [kept] = await dataSource.query<{ days: number }[]>(
        `SELECT round(extract(epoch FROM clock_timestamp() - processed_at) / 86400)::int AS days
           FROM test.processed_messages`,
      );
      expect(kept).toEqual({ days: 29 });
    });

    it('deletes more rows than one batch holds, batch after batch', async () => {
      await insertOutbox({ createdAgo: 20 * DAY, publishedAgo: 10 * DAY }, 25);
      await insertOutbox({ createdAgo: 20 * DAY }, 3);
      await insertProcessed(40 * DAY, 23);

      const pass = await job({ batchSize: 10 }).purge();

      expect(pass).toEqual({ outboxDeleted: 25, processedDeleted: 23 });
      expect(await count('outbox')).toBe(3);
      expect(await count('processed_messages')).toBe(0);
    });

    it('runs on its interval until stopped', async () => {
      const scheduled = job({ intervalMs: 50 });
      scheduled.start();
      try {
        expect(scheduled.isScheduled).toBe(true);
        await insertProcessed(31 * DAY, 2);

        await waitFor(async () => (await count('processed_messages')) === 0, 3_000);
      } finally {
        await scheduled.stop();
      }

      expect(scheduled.isScheduled).toBe(false);
      await insertProcessed(31 * DAY);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(await count('processed_messages')).toBe(1);
    });

    it('never schedules a pass when its interval is 0', async () => {
      const disabled = job({ intervalMs: 0 });

      disabled.start();

      expect(disabled.isScheduled).toBe(false);
      await disabled.stop();
    });
  });
});
