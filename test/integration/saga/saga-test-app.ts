import { type INestMicroservice, Logger } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { CatalogModule } from '#lib/catalog';
import { ConfigEnvironment, ConfigModule } from '#lib/config';
import { DatabaseConnection, DatabaseModule } from '#lib/database';
import {
  MessagingModule,
  type MessagingModuleSettings,
  MessagingTransport,
  type RmqTransport,
} from '#lib/messaging';
import { NotificationsModule } from '#lib/notifications';
import { OrdersModule } from '#lib/orders';
import { PaymentsModule } from '#lib/payments';
import { RedisModule } from '#lib/redis';
import { DataSource } from 'typeorm';
import { createTestVhost, type TestVhost } from '../messaging/rabbitmq-vhost.js';
import { testAppEnvironment } from '../../support/test-environment.js';
import { DuplicatingRmqClient } from './duplicating-rmq.client.js';
import type { MisbehavingBroker } from './misbehaving-broker.js';
import { ReorderingBus } from './reordering-bus.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from './throwaway-database.js';

export type SagaTransport = 'in-process' | 'rmq';

export interface SagaTestApp {
  readonly app: INestMicroservice;
  readonly dataSource: DataSource;
  readonly broker: MisbehavingBroker;
  close(): Promise<void>;
}

const SHARED_MESSAGING: MessagingModuleSettings = {
  rpcTimeoutMs: 10_000,
  retryWorker: { pollIntervalMs: 200 },
  relay: { pollIntervalMs: 50 },
};

/**
 * The saga's four contexts (orders, catalog, payments, notifications: the real modules, as the
 * monolith composes them) in one Nest app on real Postgres and Redis, whose events travel through
 * a misbehaving broker: the in-process bus that holds, shuffles and duplicates them, or real
 * RabbitMQ (a fresh virtual host) fed by a client that publishes each event twice, shuffled.
 * PlatformModule is left out: its metrics and HTTP edge cannot load under jest (the ESM-only edges
 * in ARCHITECTURE.md), and the saga needs none of them. A database of its own keeps other suites'
 * outbox rows out of its relay.
 */
export async function startSagaTestApp(
  transport: SagaTransport,
  seed: number,
  environment: Record<string, string>,
): Promise<SagaTestApp> {
  Logger.overrideLogger(false);
  const database: ThrowawayDatabase = await createThrowawayDatabase('saga');
  const vhost: TestVhost | undefined = transport === 'rmq' ? await createTestVhost() : undefined;
  const variables = testAppEnvironment({ DATABASE_URL: database.url, ...environment });
  const bus = new ReorderingBus(seed);
  const messaging: MessagingModuleSettings = vhost
    ? {
        ...SHARED_MESSAGING,
        transport: 'rmq',
        rmq: { url: vhost.url, serviceName: variables.SERVICE_NAME },
      }
    : { ...SHARED_MESSAGING, bus };

  let builder = Test.createTestingModule({
    imports: [
      ConfigModule,
      RedisModule,
      DatabaseModule.forRoot(),
      MessagingModule.forRoot(messaging),
      CatalogModule.forRootFromEnv(),
      PaymentsModule.forRootFromEnv(),
      OrdersModule.forRootFromEnv(),
      NotificationsModule.forRootFromEnv(),
    ],
  })
    .overrideProvider(ConfigEnvironment)
    .useValue(new ConfigEnvironment(variables));
  if (vhost) {
    builder = builder.overrideProvider(ClientProxy).useFactory({
      factory: (messagingTransport: MessagingTransport) =>
        new DuplicatingRmqClient((messagingTransport as RmqTransport).settings, seed),
      inject: [MessagingTransport],
    });
  }
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestMicroservice({
    ...moduleRef.get(MessagingTransport).microserviceOptions(),
    logger: false,
  });
  await app.listen();
  await app.get(DatabaseConnection).whenReady();
  const client = moduleRef.get(ClientProxy);
  return {
    app,
    dataSource: app.get(DataSource),
    broker: client instanceof DuplicatingRmqClient ? client : bus,
    async close() {
      await app.close();
      // The transport closes only the clients it made itself.
      if (client instanceof DuplicatingRmqClient) await client.close();
      await vhost?.delete();
      await database.drop();
    },
  };
}
