import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type INestMicroservice, Logger } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bull';
import { ConfigEnvironment, ConfigModule, ServiceConfig } from '#lib/config';
import { type MessageEnvelope, ORDER_EVENTS, type OrderPaidPayload } from '#lib/contracts';
import { DatabaseConnection, DatabaseModule, ensureDatabaseExists } from '#lib/database';
import {
  createEnvelope,
  MessagingClient,
  MessagingModule,
  MessagingTransport,
} from '#lib/messaging';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { NOTIFICATION_QUEUE } from '../../../libs/notifications/src/clients/notification-queue.js';
import { NotificationDeliveryModule } from '../../../libs/notifications/src/notification-delivery.module.js';
import type { NotificationsModuleOptions } from '../../../libs/notifications/src/notifications-options.js';
import { Mailer } from '../../../libs/notifications/src/services/ports/mailer.port.js';
import { FakeMailer } from '../../../libs/notifications/src/testing/fake.mailer.js';
import {
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  testAppEnvironment,
} from '../../support/test-environment.js';

export interface NotificationRow {
  id: string;
  customer_id: string;
  event_id: string;
  template: string;
  status: string;
  attempts: number;
  sent_at: Date | null;
}

export interface NotificationsTestApp {
  readonly app: INestMicroservice;
  /** Publishes events to the app's handlers; resolves once they handled or dead-lettered them. */
  readonly client: MessagingClient;
  readonly queue: Queue;
  readonly mailer: FakeMailer;
  readonly registry: Registry;
  readonly dataSource: DataSource;
  notificationsOfEvent(eventId: string): Promise<NotificationRow[]>;
  close(): Promise<void>;
}

/**
 * The delivery side of the context (event handlers, Bull queue and worker, gauges) on the
 * in-process transport, with real Postgres and Redis and a FakeMailer to script failures. Every app
 * gets its own queue prefix, so suites running at once never see each other's jobs; its own
 * database keeps other suites' outbox rows out of reach (the relay is off anyway).
 */
export async function startNotificationsTestApp(
  options: Partial<Omit<NotificationsModuleOptions, 'metricsRegistry'>> = {},
  mailer = new FakeMailer(),
): Promise<NotificationsTestApp> {
  Logger.overrideLogger(false);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `${url.pathname}_notifications`;
  await ensureDatabaseExists(url.toString());
  const environment = new ConfigEnvironment(testAppEnvironment({ DATABASE_URL: url.toString() }));
  const registry = new Registry();

  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule,
      DatabaseModule.forRoot(),
      MessagingModule.forRootAsync({
        useFactory: () => ({ rpcTimeoutMs: 2_000, relay: { enabled: false } }),
      }),
      NotificationDeliveryModule.forRootAsync({
        inject: [ServiceConfig],
        useFactory: (service: ServiceConfig) => ({
          redisUrl: TEST_REDIS_URL,
          serviceName: `${service.name}-${randomUUID().slice(0, 8)}`,
          jobAttempts: 3,
          jobBackoffMs: 100,
          enqueueTimeoutMs: 500,
          ...options,
          metricsRegistry: registry,
        }),
      }),
    ],
  })
    .overrideProvider(ConfigEnvironment)
    .useValue(environment)
    .overrideProvider(Mailer)
    .useValue(mailer)
    .compile();
  // What connectMessagingTransport(app) does for an HTTP app, on a microservice-only one here.
  const app = moduleRef.createNestMicroservice({
    ...moduleRef.get(MessagingTransport).microserviceOptions(),
    logger: false,
  });
  await app.listen();
  await app.get(DatabaseConnection).whenReady();

  const dataSource = app.get(DataSource);
  const queue = app.get<Queue>(getQueueToken(NOTIFICATION_QUEUE));
  return {
    app,
    client: app.get(MessagingClient),
    queue,
    mailer,
    registry,
    dataSource,
    notificationsOfEvent: (eventId) =>
      dataSource.query<NotificationRow[]>(
        `SELECT id, customer_id, event_id, template, status, attempts, sent_at
           FROM notifications.notifications WHERE event_id = $1`,
        [eventId],
      ),
    async close() {
      // Bounded: with Redis unreachable these commands would wait for it rather than fail.
      const cleanUp = async (): Promise<void> => {
        await queue.pause(true, true); // no new job starts while the keys are removed
        await queue.obliterate({ force: true });
      };
      await Promise.race([
        cleanUp().catch(() => undefined),
        sleep(2_000, undefined, { ref: false }),
      ]);
      await app.close();
    },
  };
}

export const orderPaid = (
  payload: Partial<OrderPaidPayload> = {},
): MessageEnvelope<OrderPaidPayload> =>
  createEnvelope(ORDER_EVENTS.paid, {
    orderId: randomUUID(),
    customerId: randomUUID(),
    paymentId: randomUUID(),
    ...payload,
  });

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
