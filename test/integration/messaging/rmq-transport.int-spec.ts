import { randomUUID } from 'node:crypto';
import { Controller, Injectable, type INestMicroservice, Logger } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { type MessageEnvelope, MESSAGING_ERROR_CODES } from '#lib/contracts';
import { DomainError } from '#lib/kernel';
import {
  createEnvelope,
  DeliveryPolicy,
  DeliveryRetryWorker,
  EventEnvelopePipe,
  MessagePayloadPipe,
  MessagingClient,
  RMQ_HEADERS,
  RpcError,
  RpcErrorInterceptor,
  RmqTransport,
  TypeormDeadLetterStore,
  TypeormDeliveryRetryStore,
} from '#lib/messaging';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import amqp from 'amqplib';
import { IsInt, IsString, IsUUID, Min } from 'class-validator';
import type { DataSource } from 'typeorm';
import {
  createMessagingDataSource,
  everyContext,
  everyContextAsOne,
  MESSAGING_TEST_SCHEMAS,
  waitFor,
} from './messaging-test-app.js';
import { createTestVhost, type TestVhost } from './rabbitmq-vhost.js';

const ORDER_PLACED = 'orders.v1.order-placed';

class PriceRequest {
  @IsString()
  sku!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

class OrderPlaced {
  @IsUUID()
  orderId!: string;
}

class OutOfStockError extends DomainError {
  readonly code = 'CATALOG.OUT_OF_STOCK';
  readonly kind = 'conflict';
}

@Injectable()
class Observations {
  charged: string[] = [];
  mailed: string[] = [];
  chargeFailuresLeft = 0;
  mailFailing = false;
  /** Set to hold the charge handler until released. */
  holdCharge?: Promise<void>;
}

@Controller()
class CatalogHandlers {
  @MessagePattern('catalog.v1.price')
  price(@Payload(new MessagePayloadPipe(PriceRequest)) request: PriceRequest): object {
    return { sku: request.sku, total: request.quantity * 250 };
  }

  @MessagePattern('catalog.v1.reserve')
  reserve(): never {
    throw new OutOfStockError('sku A-1 is short', { sku: 'A-1' });
  }
}

@Controller()
class PaymentsSubscriber {
  constructor(private readonly observations: Observations) {}

  @EventPattern(ORDER_PLACED)
  @DeliveryPolicy({ maxAttempts: 3, backoffMs: 20, consumer: 'payments.charge' })
  async charge(
    @Payload(new EventEnvelopePipe(OrderPlaced)) event: MessageEnvelope<OrderPlaced>,
  ): Promise<void> {
    await this.observations.holdCharge;
    if (this.observations.chargeFailuresLeft > 0) {
      this.observations.chargeFailuresLeft -= 1;
      throw new Error('provider down');
    }
    this.observations.charged.push(event.id);
  }
}

@Controller()
class NotificationsSubscriber {
  constructor(private readonly observations: Observations) {}

  @EventPattern(ORDER_PLACED)
  @DeliveryPolicy({ maxAttempts: 2, backoffMs: 60_000, consumer: 'notifications.mail' })
  mail(@Payload(new EventEnvelopePipe(OrderPlaced)) event: MessageEnvelope<OrderPlaced>): void {
    if (this.observations.mailFailing) throw new Error('mail server down');
    this.observations.mailed.push(event.id);
  }
}

interface TestApp {
  readonly app: INestMicroservice;
  readonly transport: RmqTransport;
  readonly observations: Observations;
  readonly client: MessagingClient;
}

describe('RmqTransport against a real RabbitMQ', () => {
  let dataSource: DataSource;
  let vhost: TestVhost;
  const apps: TestApp[] = [];

  async function startApp(serviceName: string, controllers: unknown[]): Promise<TestApp> {
    const transport = new RmqTransport(
      new TypeormDeadLetterStore(dataSource, MESSAGING_TEST_SCHEMAS),
      new TypeormDeliveryRetryStore(dataSource, MESSAGING_TEST_SCHEMAS),
      { url: vhost.url, serviceName, prefetch: 8, drainTimeoutMs: 5_000, inlineRetryMaxMs: 1_000 },
    );
    const moduleRef = await Test.createTestingModule({
      controllers: controllers as never[],
      providers: [Observations, { provide: APP_INTERCEPTOR, useClass: RpcErrorInterceptor }],
    }).compile();
    const app = moduleRef.createNestMicroservice({
      ...transport.microserviceOptions(),
      logger: false,
    });
    await app.listen();
    const client = new MessagingClient(transport.createClient(), { rpcTimeoutMs: 5_000 });
    const started = { app, transport, observations: app.get(Observations), client };
    apps.push(started);
    return started;
  }

  const orderPlaced = () =>
    createEnvelope(ORDER_PLACED, { orderId: randomUUID() }, { correlationId: 'corr-1' });

  const deadLetterRows = (consumer: string) =>
    dataSource.query<{ reason: string; attempts: number; message_id: string | null }[]>(
      `SELECT reason, attempts, message_id FROM ${everyContextAsOne('dead_letters')}
        WHERE consumer = $1`,
      [consumer],
    );

  beforeAll(async () => {
    Logger.overrideLogger(false);
    dataSource = await createMessagingDataSource('rmq');
    vhost = await createTestVhost();
  });

  afterEach(async () => {
    for (const { app, transport } of apps.splice(0)) {
      await app.close();
      await transport.onApplicationShutdown();
    }
    // Durable queues outlive their apps: a later test must not receive this one's leftovers.
    await deleteQueues(vhost.url, ['catalog', 'payments', 'notifications']);
    await dataSource.query(
      `TRUNCATE ${everyContext('dead_letters')}, ${everyContext('delivery_retries')},
                ${everyContext('processed_messages')}`,
    );
  });

  afterAll(async () => {
    await vhost.delete();
    await dataSource.destroy();
  });

  describe('requests', () => {
    it('answers a request with the handler reply, over the broker', async () => {
      const catalog = await startApp('catalog', [CatalogHandlers]);

      const reply = await catalog.client.send('catalog.v1.price', { sku: 'A-1', quantity: 2 });

      expect(reply).toEqual({ sku: 'A-1', total: 500 });
    });

    it('replies MESSAGING.VALIDATION_FAILED naming the fields of an invalid request', async () => {
      const catalog = await startApp('catalog', [CatalogHandlers]);

      const error = await catalog.client
        .send('catalog.v1.price', { sku: 1, quantity: 0 })
        .catch((failure: unknown) => failure);

      expect(error).toBeInstanceOf(RpcError);
      expect((error as RpcError).code).toBe(MESSAGING_ERROR_CODES.VALIDATION_FAILED);
      const violations = (error as RpcError).details?.violations as { field: string }[];
      expect(violations.map((violation) => violation.field).sort()).toEqual(['quantity', 'sku']);
    });

    it('carries a domain error back with its stable code', async () => {
      const catalog = await startApp('catalog', [CatalogHandlers]);

      const error = await catalog.client
        .send('catalog.v1.reserve', {})
        .catch((failure: unknown) => failure);

      expect((error as RpcError).payload).toMatchObject({
        code: 'CATALOG.OUT_OF_STOCK',
        kind: 'conflict',
        details: { sku: 'A-1' },
      });
    });
  });

  describe('events', () => {
    it('gives every subscribing app its own copy of an event', async () => {
      const payments = await startApp('payments', [PaymentsSubscriber]);
      const notifications = await startApp('notifications', [NotificationsSubscriber]);
      const event = orderPlaced();

      await payments.client.emit(event);

      await waitFor(() => payments.observations.charged.length === 1, 10_000);
      await waitFor(() => notifications.observations.mailed.length === 1, 10_000);
      expect(payments.observations.charged).toEqual([event.id]);
      expect(notifications.observations.mailed).toEqual([event.id]);
    });

    it('retries a failing handler with backoff, then acknowledges the event once it succeeded', async () => {
      const payments = await startApp('payments', [PaymentsSubscriber]);
      payments.observations.chargeFailuresLeft = 2;
      const event = orderPlaced();

      await payments.client.emit(event);

      await waitFor(() => payments.observations.charged.length === 1, 10_000);
      expect(await deadLetterRows('payments.charge')).toEqual([]);
    });

    it('dead-letters an event once the budget is spent, in the database and in the app DLQ', async () => {
      const payments = await startApp('payments', [PaymentsSubscriber]);
      payments.observations.chargeFailuresLeft = 10;
      const event = orderPlaced();

      await payments.client.emit(event);

      await waitFor(async () => (await deadLetterRows('payments.charge')).length === 1, 10_000);
      expect(await deadLetterRows('payments.charge')).toEqual([
        {
          reason: expect.stringContaining(MESSAGING_ERROR_CODES.INTERNAL),
          attempts: 3,
          message_id: event.id,
        },
      ]);
      const parked = await getOne(vhost.url, 'payments.dead-letters');
      expect(parked.properties.headers?.[RMQ_HEADERS.attempts]).toBe(3);
      expect(String(parked.properties.headers?.[RMQ_HEADERS.reason])).toContain(
        'MESSAGING.INTERNAL',
      );
      expect(JSON.parse(parked.content.toString())).toMatchObject({ id: event.id });
      expect(parked.properties.contentType).toBe('application/json');
    });

    it('dead-letters a message that is not JSON, with its reason, and goes on with the next', async () => {
      const payments = await startApp('payments', [PaymentsSubscriber]);
      await publishRaw(vhost.url, ORDER_PLACED, Buffer.from('{not json'));
      const valid = orderPlaced();

      await payments.client.emit(valid);

      await waitFor(() => payments.observations.charged.length === 1, 10_000);
      const parked = await getOne(vhost.url, 'payments.dead-letters');
      expect(parked.content.toString()).toBe('{not json');
      expect(parked.properties.contentType).toBe('application/octet-stream');
      expect(String(parked.properties.headers?.[RMQ_HEADERS.reason])).toContain(
        MESSAGING_ERROR_CODES.VALIDATION_FAILED,
      );
      expect(await deadLetterRows('payments')).toHaveLength(1);
    });

    it('dead-letters an event put straight on its queue under a route nobody there subscribes to', async () => {
      const payments = await startApp('payments', [PaymentsSubscriber]);
      const stray = JSON.stringify({ pattern: 'nobody.v1.listens', data: orderPlaced() });
      // Through the default exchange: the routing key the consumer sees is the queue's name.
      await publishRaw(vhost.url, 'payments.events', Buffer.from(stray), '');

      const parked = await getOne(vhost.url, 'payments.dead-letters');
      expect(parked.content.toString()).toBe(stray);
      expect(String(parked.properties.headers?.[RMQ_HEADERS.reason])).toBe(
        `${MESSAGING_ERROR_CODES.NO_HANDLER}: no subscriber here for "payments.events"`,
      );
      expect(await deadLetterRows('payments')).toHaveLength(1);
      expect(payments.observations.charged).toHaveLength(0);
    });

    it('dead-letters an event whose payload is invalid at once, with the violations', async () => {
      const payments = await startApp('payments', [PaymentsSubscriber]);
      const invalid = createEnvelope(ORDER_PLACED, { orderId: 'not-a-uuid' });

      await payments.client.emit(invalid);

      await waitFor(async () => (await deadLetterRows('payments.charge')).length === 1, 10_000);
      const [row] = await deadLetterRows('payments.charge');
      expect(row).toMatchObject({ attempts: 1, message_id: invalid.id });
      expect(row.reason).toContain(MESSAGING_ERROR_CODES.VALIDATION_FAILED);
    });

    it('stores a long wait as a retry that the worker delivers once due, surviving the app', async () => {
      const notifications = await startApp('notifications', [NotificationsSubscriber]);
      const event = orderPlaced();
      notifications.observations.mailFailing = true;
      {
        await notifications.client.emit(event);
        await waitFor(async () => (await retryRows()).length === 1, 10_000);
        const [retry] = await retryRows();
        expect(retry).toMatchObject({ consumer: 'notifications.mail', attempts: 1 });

        // Another process (a restarted replica) delivers it once it is due.
        await notifications.app.close();
        await notifications.transport.onApplicationShutdown();
        apps.splice(0);
        const restarted = await startApp('notifications', [NotificationsSubscriber]);
        await dataSource.query('UPDATE notifications.delivery_retries SET next_attempt_at = now()');
        const worker = new DeliveryRetryWorker(
          new TypeormDeliveryRetryStore(dataSource, MESSAGING_TEST_SCHEMAS),
          restarted.transport.dispatcher,
          restarted.transport.redeliverer,
          { pollIntervalMs: 50, batchSize: 10, leaseMs: 60_000 },
        );
        expect(await worker.deliverDue()).toBe(1);
        expect(restarted.observations.mailed).toEqual([event.id]);
        expect(await retryRows()).toEqual([]);
      }
    });

    it('on close, finishes and acknowledges the event in flight: it is neither lost nor redelivered', async () => {
      const payments = await startApp('payments', [PaymentsSubscriber]);
      let release: () => void = () => undefined;
      payments.observations.holdCharge = new Promise((resolve) => (release = resolve));
      const event = orderPlaced();
      await payments.client.emit(event);
      await waitFor(() => payments.transport.dispatcher.consumers().length > 0);
      await new Promise((resolve) => setTimeout(resolve, 200));

      const closing = payments.app.close();
      release();
      await closing;
      await payments.transport.onApplicationShutdown();
      apps.splice(0);

      expect(payments.observations.charged).toEqual([event.id]);
      expect(await messageCount(vhost.url, 'payments.events')).toBe(0);
    });
  });

  const retryRows = () =>
    dataSource.query<{ consumer: string; attempts: number }[]>(
      `SELECT consumer, attempts FROM ${everyContextAsOne('delivery_retries')}`,
    );
});

async function publishRaw(
  url: string,
  routingKey: string,
  content: Buffer,
  exchange = 'commerce',
): Promise<void> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createConfirmChannel();
    channel.publish(exchange, routingKey, content, { persistent: true });
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}

async function getOne(url: string, queue: string): Promise<amqp.GetMessage> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    const deadline = Date.now() + 10_000;
    for (;;) {
      const message = await channel.get(queue, { noAck: true });
      if (message) return message;
      if (Date.now() > deadline) throw new Error(`nothing arrived in ${queue}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await connection.close();
  }
}

async function deleteQueues(url: string, services: string[]): Promise<void> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    for (const service of services) {
      for (const suffix of ['requests', 'events', 'dead-letters']) {
        await channel.deleteQueue(`${service}.${suffix}`);
      }
    }
  } finally {
    await connection.close();
  }
}

async function messageCount(url: string, queue: string): Promise<number> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    return (await channel.checkQueue(queue)).messageCount;
  } finally {
    await connection.close();
  }
}
