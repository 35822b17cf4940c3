import { Controller, type INestMicroservice } from '@nestjs/common';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConsumeMessage } from 'amqplib';
import amqp from 'amqplib';
import type { DataSource } from 'typeorm';
import { RmqTransport, TypeormDeadLetterStore, TypeormDeliveryRetryStore } from '#lib/messaging';
// The file itself: the library's index also loads Nest modules Jest cannot import.
import { MessagingHealthIndicator } from '../../../libs/health/src/messaging.health-indicator.js';
import {
  createMessagingDataSource,
  MESSAGING_TEST_SCHEMAS,
  waitFor,
} from './messaging-test-app.js';
import { createTestVhost, type TestVhost } from './rabbitmq-vhost.js';

@Controller()
class CatalogHandlers {
  @MessagePattern('catalog.v1.price')
  price(): object {
    return { total: 1 };
  }

  @EventPattern('orders.v1.order-cancelled')
  released(_event: unknown): void {
    // a subscription, so the app consumes an event queue too
  }
}

/**
 * Readiness in split mode covers the consumer channel, not only the connection: a channel the
 * broker closed is not reopened while the connection stays up, and a consumer the broker cancelled
 * is not restarted, so the app would otherwise stay ready while consuming nothing.
 */
describe('RmqTransport readiness when its consumers stop, against a real RabbitMQ', () => {
  let dataSource: DataSource;
  let vhost: TestVhost;
  let app: INestMicroservice | undefined;
  let transport: RmqTransport;
  let readiness: MessagingHealthIndicator;

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
    await waitFor(() => transport.unavailableReason() === undefined, 20_000);
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await vhost.delete();
  });

  afterAll(() => dataSource.destroy());

  const messagingCheck = () =>
    readiness.check() as { messaging: { status: string; message?: string } };

  it('is ready while both consumers run', () => {
    expect(messagingCheck()).toEqual({ messaging: { status: 'up', transport: 'rmq' } });
  });

  it('turns unready, naming the broker’s reason, when the broker closes the consumer channel', async () => {
    // A channel error: acknowledging a delivery tag the channel never gave out (a double ack).
    const wrapper = (transport.server as unknown as { channel: ChannelWrapper }).channel;
    wrapper.ack({ fields: { deliveryTag: 999_999 } } as ConsumeMessage);

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
  });

  it('turns unready, naming the queue, when the broker cancels a consumer (queue deleted)', async () => {
    const connection = await amqp.connect(vhost.url);
    try {
      const channel = await connection.createChannel();
      await channel.deleteQueue('catalog.events');
      await channel.close();
    } finally {
      await connection.close();
    }

    await waitFor(() => transport.unavailableReason() !== undefined, 10_000);

    expect(transport.server.isBrokerConnected()).toBe(true);
    expect(messagingCheck().messaging).toMatchObject({
      status: 'down',
      message: 'the broker cancelled the consumer of queue catalog.events (was it deleted?)',
    });
  });
});
