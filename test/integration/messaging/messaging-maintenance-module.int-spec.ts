import { randomUUID } from 'node:crypto';
import { type INestMicroservice, Logger } from '@nestjs/common';
import { ConfigEnvironment, ConfigModule } from '#lib/config';
import {
  DatabaseConnection,
  DatabaseModule,
  ensureDatabaseExists,
  TransactionRunner,
} from '#lib/database';
import {
  createEnvelope,
  DEAD_LETTERS_METRIC,
  EventPublisher,
  MessagingModule,
  MessagingRetentionJob,
  MessagingTransport,
  OUTBOX_PENDING_METRIC,
  OUTBOX_PUBLISHED_METRIC,
} from '#lib/messaging';
import { Test } from '@nestjs/testing';
import { register } from 'prom-client';
import { DataSource } from 'typeorm';
import { TEST_DATABASE_URL, testAppEnvironment } from '../../support/test-environment.js';
import { everyContext, MESSAGING_TEST_FEATURES, waitFor } from './messaging-test-app.js';

const DAY = 86_400;

/** The value of an unlabelled series in prom-client's global registry (the one /metrics serves). */
async function globalSample(name: string): Promise<number | undefined> {
  const metric = register.getSingleMetric(name);
  return (await metric?.get())?.values[0]?.value;
}

describe('MessagingModule keeps its tables observable and bounded', () => {
  let app: INestMicroservice;
  let dataSource: DataSource;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `${url.pathname}_messaging_maintenance`;
    await ensureDatabaseExists(url.toString());
    const environment = new ConfigEnvironment(testAppEnvironment({ DATABASE_URL: url.toString() }));

    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule,
        DatabaseModule.forRoot(),
        ...MESSAGING_TEST_FEATURES.map((feature) => DatabaseModule.forFeature(feature)),
        MessagingModule.forRootAsync({
          useFactory: () => ({
            relay: { pollIntervalMs: 50 },
            retention: { intervalMs: 100, outboxRetentionDays: 1, processedRetentionDays: 2 },
          }),
        }),
      ],
    })
      .overrideProvider(ConfigEnvironment)
      .useValue(environment)
      .compile();
    app = moduleRef.createNestMicroservice({
      ...moduleRef.get(MessagingTransport).microserviceOptions(),
      logger: false,
    });
    await app.listen();
    await app.get(DatabaseConnection).whenReady();
    dataSource = app.get(DataSource);
    await dataSource.query(
      `TRUNCATE ${everyContext('outbox')}, ${everyContext('processed_messages')},
                ${everyContext('dead_letters')}`,
    );
  });

  afterAll(async () => {
    await app?.close();
  });

  it('serves the backlog gauges from the global registry', async () => {
    expect(await globalSample(OUTBOX_PENDING_METRIC)).toBe(0);
    expect(await globalSample(DEAD_LETTERS_METRIC)).toBe(0);
  });

  it('counts what its relay publishes in the global registry', async () => {
    const before = (await globalSample(OUTBOX_PUBLISHED_METRIC)) ?? 0;
    const transactions = app.get(TransactionRunner);
    const publisher = app.get(EventPublisher);

    await transactions.run(() =>
      publisher.publish([
        createEnvelope('identity.v1.user-registered', { userId: randomUUID() }, {}),
      ]),
    );

    await waitFor(async () => (await globalSample(OUTBOX_PUBLISHED_METRIC)) === before + 1);
  });

  it('runs the retention job with the options given to the module', async () => {
    expect(app.get(MessagingRetentionJob).isScheduled).toBe(true);
    await dataSource.query(
      `INSERT INTO test.processed_messages (consumer, message_id, processed_at)
       VALUES ('test.consumer', $1, clock_timestamp() - make_interval(secs => $3)),
              ('test.consumer', $2, clock_timestamp() - make_interval(secs => $4))`,
      [randomUUID(), randomUUID(), 3 * DAY, 1 * DAY],
    );

    // Past the 2 days configured for processed ids, not the 30-day default.
    await waitFor(async () => {
      const rows = await dataSource.query<unknown[]>('SELECT 1 FROM test.processed_messages');
      return rows.length === 1;
    }, 3_000);
  });
});
