import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { Controller, type INestMicroservice } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { ConsumeMessage } from 'amqplib';
import amqp from 'amqplib';
import type { DataSource } from 'typeorm';
import type { MessageEnvelope } from '#lib/contracts';
import {
  createEnvelope,
  MessagingClient,
  RmqTransport,
  TypeormDeadLetterStore,
  TypeormDeliveryRetryStore,
} from '#lib/messaging';
// The file itself: the library's index also loads Nest modules Jest cannot import.
import { MessagingHealthIndicator } from '../../../libs/health/src/messaging.health-indicator.js';
import {
  createMessagingDataSource,
  MESSAGING_TEST_SCHEMAS,
  waitFor,
} from './messaging-test-app.js';
import { createTestVhost, type TestVhost } from './rabbitmq-vhost.js';

const ORDER_CANCELLED = 'orders.v1.order-cancelled';
/** Ids of the events the app handled, in this test. */
const handledEvents: string[] = [];

@Controller()
class CatalogHandlers {
  @MessagePattern('catalog.v1.price')
  price(): object {
    return { total: 1 };
  }

  @EventPattern(ORDER_CANCELLED)
  released(@Payload() event: MessageEnvelope): void {
    handledEvents.push(event.id);
  }
}

/**
 * Readiness in split mode covers the consumer channel, not only the connection: neither Nest nor
 * amqp-connection-manager reopens a channel the broker closed while the connection stays up, or
 * restarts a consumer the broker cancelled. The app reports the outage and recovers by itself.
 */
describe('RmqTransport readiness and recovery when its consumers stop, against a real RabbitMQ', () => {
  let dataSource: DataSource;
  let vhost: TestVhost;
  let app: INestMicroservice | undefined;
  let transport: RmqTransport;
  let readiness: MessagingHealthIndicator;
  let client: MessagingClient;

  beforeAll(async () => {
    dataSource = await createMessagingDataSource('rmq_readiness');
  });

  beforeEach(async () => {
    vhost = await createTestVhost();
    transport = new RmqTransport(
      new TypeormDeadLetterStore(dataSource, MESSAGING_TEST_SCHEMAS),
      new TypeormDeliveryRetryStore(dataSource, MESSAGING_TEST_SCHEMAS),
      { url: vhost.url, serviceName: 'catalog', prefetch: 8, drainTimeoutMs: 2_000 },
    );
    const moduleRef = await Test.createTestingModule({ controllers: [CatalogHandlers] }).compile();
    app = moduleRef.createNestMicroservice({ ...transport.microserviceOptions(), logger: false });
    await app.listen();
    readiness = new MessagingHealthIndicator(new HealthIndicatorService(), transport);
    client = new MessagingClient(transport.createClient(), { rpcTimeoutMs: 5_000 });
    handledEvents.length = 0;
    await waitFor(() => transport.unavailableReason() === undefined, 20_000);
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await transport.onApplicationShutdown();
    await vhost.delete();
  });

  afterAll(() => dataSource.destroy());

  const messagingCheck = () =>
    readiness.check() as { messaging: { status: string; message?: string } };

  const connections = () =>
    (transport.server as unknown as { server: AmqpConnectionManager }).server;

  const doubleAck = () => {
    // A channel error: acknowledging a delivery tag the channel never gave out (a double ack).
    const wrapper = (transport.server as unknown as { channel: ChannelWrapper }).channel;
    wrapper.ack({ fields: { deliveryTag: 999_999 } } as ConsumeMessage);
  };

  const deleteEventQueue = async () => {
    const connection = await amqp.connect(vhost.url);
    try {
      const channel = await connection.createChannel();
      await channel.deleteQueue('catalog.events');
      await channel.close();
    } finally {
      await connection.close();
    }
  };

  /** Ready again, and consuming both queues: a request is answered and an event handled. */
  const expectConsumingAgain = async () => {
    await waitFor(() => transport.unavailableReason() === undefined, 20_000);
    expect(messagingCheck()).toEqual({ messaging: { status: 'up', transport: 'rmq' } });
    await expect(client.send('catalog.v1.price', {})).resolves.toEqual({ total: 1 });
    const event = createEnvelope(ORDER_CANCELLED, { orderId: randomUUID() });
    await client.emit(event);
    await waitFor(() => handledEvents.includes(event.id), 10_000);
  };

  it('is ready while both consumers run', () => {
    expect(messagingCheck()).toEqual({ messaging: { status: 'up', transport: 'rmq' } });
  });

  it('turns unready, naming the broker’s reason, when the broker closes the consumer channel, then consumes again', async () => {
    doubleAck();

    await waitFor(() => transport.unavailableReason() !== undefined, 10_000);

    expect(transport.server.isBrokerConnected()).toBe(true);
    expect(messagingCheck()).toEqual({
      messaging: {
        status: 'down',
        transport: 'rmq',
        message: expect.stringMatching(
          /^the consumer channel closed: .*PRECONDITION_FAILED.*unknown delivery tag/,
        ),
      },
    });
    await expectConsumingAgain();
  });

  it('turns unready, naming the queue, when the broker cancels a consumer (queue deleted), then declares it again and consumes', async () => {
    await deleteEventQueue();

    await waitFor(() => transport.unavailableReason() !== undefined, 10_000);

    expect(transport.server.isBrokerConnected()).toBe(true);
    expect(messagingCheck().messaging).toMatchObject({
      status: 'down',
      message: 'the broker cancelled the consumer of queue catalog.events (was it deleted?)',
    });
    await expectConsumingAgain();
  });

  it('recovers again after a second fault', async () => {
    doubleAck();
    await waitFor(() => transport.unavailableReason() !== undefined, 10_000);
    await waitFor(() => transport.unavailableReason() === undefined, 20_000);

    await deleteEventQueue();

    await waitFor(() => transport.unavailableReason() !== undefined, 10_000);
    await expectConsumingAgain();
  });

  it('does not reconnect once closed, even with a recovery pending', async () => {
    const reconnect = jest.spyOn(connections(), 'reconnect');
    doubleAck();
    await waitFor(() => transport.unavailableReason() !== undefined, 10_000);

    await app?.close();
    app = undefined;
    // Past the first recovery attempt's delay (500 ms).
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    expect(reconnect).not.toHaveBeenCalled();
    expect(connections().isConnected()).toBe(false);
  });
});
