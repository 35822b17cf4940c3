import { Controller, Injectable, type INestMicroservice, Logger } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { MessageEnvelope } from '#lib/contracts';
import {
  type DatabaseFeature,
  ensureDatabaseExists,
  runMigrations,
  SnakeCaseNamingStrategy,
  TransactionRunner,
} from '#lib/database';
import {
  DeliveryPolicy,
  EventEnvelopePipe,
  IdempotentConsumer,
  InProcessTransport,
  MessagingClient,
  MessagingSchemas,
  type MessagingTable,
  messagingTablesMigration,
  outboxClaimIndexMigration,
  dropOutboxDueIndexMigration,
  OutboxEventPublisher,
  OutboxRelay,
  type OutboxRelayOptions,
  resolveOutboxRelayOptions,
  RpcErrorInterceptor,
  TypeormDeadLetterStore,
  TypeormDeliveryRetryStore,
} from '#lib/messaging';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { IsInt, IsUUID, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { TEST_DATABASE_URL } from '../../support/test-environment.js';

export const ORDER_PLACED = 'orders.v1.order-placed';

export class OrderPlaced {
  @IsUUID()
  orderId!: string;

  @IsInt()
  @Min(0)
  totalMinor!: number;
}

/** What the test consumers did, to assert on: deliveries in memory, effects in Postgres. */
@Injectable()
export class Observations {
  /** Envelope ids as the idempotent consumer received them, redeliveries included. */
  readonly deliveries: string[] = [];
  /** Envelope ids as the plain (non-idempotent) counting consumer received them. */
  readonly counted: string[] = [];
  failuresLeft = 0;
}

/** A consumer with a real effect: it records a charge row, once per message. */
@Controller()
class ChargeOnOrderPlaced {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly transactions: TransactionRunner,
    private readonly observations: Observations,
  ) {}

  @EventPattern(ORDER_PLACED)
  @DeliveryPolicy({ maxAttempts: 3, backoffMs: 10, consumer: 'payments.charge-order' })
  async onOrderPlaced(
    @Payload(new EventEnvelopePipe(OrderPlaced)) event: MessageEnvelope<OrderPlaced>,
  ): Promise<void> {
    this.observations.deliveries.push(event.id);
    await this.consumer.handle('payments.charge-order', event, async () => {
      if (this.observations.failuresLeft > 0) {
        this.observations.failuresLeft -= 1;
        throw new Error('payment provider timed out');
      }
      await this.transactions.manager.query(
        'INSERT INTO test_effects.charges (message_id, order_id, amount_minor) VALUES ($1, $2, $3)',
        [event.id, event.payload.orderId, event.payload.totalMinor],
      );
    });
  }
}

/** Counts every delivery, without deduplication: shows how often the transport delivered. */
@Controller()
class CountOrderPlaced {
  constructor(private readonly observations: Observations) {}

  @EventPattern(ORDER_PLACED)
  @DeliveryPolicy({ maxAttempts: 1, backoffMs: 0, consumer: 'test.count' })
  onOrderPlaced(@Payload() event: { id: string }): void {
    this.observations.counted.push(event.id);
  }
}

/**
 * The contexts these suites publish and consume as, each with its messaging tables in its own
 * schema: the platform's five, and `reports` and `test` of the suites' own.
 */
export const MESSAGING_TEST_SCHEMAS = new MessagingSchemas([
  'identity',
  'catalog',
  'orders',
  'payments',
  'notifications',
  'reports',
  'test',
]);

export const MESSAGING_TEST_FEATURES: DatabaseFeature[] = MESSAGING_TEST_SCHEMAS.names.map(
  (schema, index) => ({
    schema,
    entities: [],
    migrations: [
      messagingTablesMigration(schema, 1_768_400_000_000 + index),
      outboxClaimIndexMigration(schema, 1_768_500_000_000 + index),
      dropOutboxDueIndexMigration(schema, 1_768_600_000_000 + index),
    ],
  }),
);

/** A client that only records what a relay asked it to publish. */
export function recordingClient(): { client: MessagingClient; published: MessageEnvelope[] } {
  const published: MessageEnvelope[] = [];
  const client = {
    connect: async () => undefined,
    emit: async (envelope: MessageEnvelope) => {
      published.push(envelope);
    },
  } as unknown as MessagingClient;
  return { client, published };
}

/** `table` of every test context, for a TRUNCATE. */
export function everyContext(table: MessagingTable): string {
  return MESSAGING_TEST_SCHEMAS.names
    .map((schema) => MessagingSchemas.table(schema, table))
    .join(', ');
}

/** `table` of every test context as one, for a FROM: `FROM ${everyContextAsOne('outbox')}`. */
export function everyContextAsOne(table: MessagingTable): string {
  const union = MESSAGING_TEST_SCHEMAS.names
    .map((schema) => `SELECT * FROM ${MessagingSchemas.table(schema, table)}`)
    .join(' UNION ALL ');
  return `(${union}) AS ${table}`;
}

/** A database of its own, so this suite's relays never see (or take) other suites' outbox rows. */
export async function createMessagingDataSource(suite: string): Promise<DataSource> {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `${url.pathname}_messaging_${suite}`;
  await ensureDatabaseExists(url.toString());
  const dataSource = new DataSource({
    type: 'postgres',
    url: url.toString(),
    namingStrategy: new SnakeCaseNamingStrategy(),
    extra: { max: 10 },
  });
  await dataSource.initialize();
  await runMigrations(dataSource, MESSAGING_TEST_FEATURES);
  await dataSource.query('CREATE SCHEMA IF NOT EXISTS test_effects');
  await dataSource.query(`
    CREATE TABLE IF NOT EXISTS test_effects.charges (
      id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      message_id   uuid   NOT NULL,
      order_id     uuid   NOT NULL,
      amount_minor bigint NOT NULL
    )`);
  return dataSource;
}

export async function resetMessagingTables(dataSource: DataSource): Promise<void> {
  await dataSource.query(
    `TRUNCATE ${everyContext('outbox')}, ${everyContext('processed_messages')},
              ${everyContext('dead_letters')}, ${everyContext('delivery_retries')},
              test_effects.charges`,
  );
}

export interface MessagingTestApp {
  readonly app: INestMicroservice;
  readonly transport: InProcessTransport;
  readonly client: MessagingClient;
  readonly transactions: TransactionRunner;
  readonly publisher: OutboxEventPublisher;
  readonly consumer: IdempotentConsumer;
  readonly observations: Observations;
  /** A relay on this app's transport; tests start, stop and fault it. */
  relay(options?: OutboxRelayOptions): OutboxRelay;
  close(): Promise<void>;
}

/** The consumers above served on the in-process transport, with the messaging pieces around them. */
export async function startMessagingTestApp(dataSource: DataSource): Promise<MessagingTestApp> {
  Logger.overrideLogger(false);
  const transport = new InProcessTransport(
    new TypeormDeadLetterStore(dataSource, MESSAGING_TEST_SCHEMAS),
    new TypeormDeliveryRetryStore(dataSource, MESSAGING_TEST_SCHEMAS),
    { drainTimeoutMs: 2_000 },
  );
  const moduleRef = await Test.createTestingModule({
    controllers: [ChargeOnOrderPlaced, CountOrderPlaced],
    providers: [
      { provide: DataSource, useValue: dataSource },
      TransactionRunner,
      IdempotentConsumer,
      { provide: MessagingSchemas, useValue: MESSAGING_TEST_SCHEMAS },
      Observations,
      { provide: APP_INTERCEPTOR, useClass: RpcErrorInterceptor },
    ],
  }).compile();
  const app = moduleRef.createNestMicroservice({
    ...transport.microserviceOptions(),
    logger: false,
  });
  await app.listen();

  const client = new MessagingClient(transport.createClient(), { rpcTimeoutMs: 2_000 });
  const transactions = app.get(TransactionRunner);
  const relays: OutboxRelay[] = [];
  return {
    app,
    transport,
    client,
    transactions,
    publisher: new OutboxEventPublisher(transactions, MESSAGING_TEST_SCHEMAS),
    consumer: app.get(IdempotentConsumer),
    observations: app.get(Observations),
    relay(options = {}) {
      const relay = new OutboxRelay(
        dataSource,
        client,
        { relay: resolveOutboxRelayOptions({ pollIntervalMs: 50, retryBaseMs: 20, ...options }) },
        MESSAGING_TEST_SCHEMAS,
      );
      relays.push(relay);
      return relay;
    },
    async close() {
      await Promise.all(relays.map((relay) => relay.stop()));
      await app.close();
    },
  };
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
