import { randomUUID } from 'node:crypto';
import { Controller, Injectable, type INestMicroservice, Logger } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import {
  CATALOG_ERROR_CODES,
  CATALOG_PATTERNS,
  MESSAGING_ERROR_CODES,
  ORDER_EVENTS,
  type OrderPlacedPayload,
  PriceBasketReply,
  PriceBasketRequest,
  ReleaseStockReply,
  ReleaseStockRequest,
  ReserveStockRequest,
} from '#lib/contracts';
import { ContractsClient } from '#lib/contracts-client';
import { DomainError } from '#lib/kernel';
import {
  createEnvelope,
  MessagePayloadPipe,
  MessagingClient,
  RpcError,
  RpcErrorInterceptor,
  RmqTransport,
} from '#lib/messaging';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { InMemoryDeadLetterStore } from '../../../libs/messaging/src/testing/in-memory-dead-letter.store.js';
import { InMemoryDeliveryRetryStore } from '../../../libs/messaging/src/testing/in-memory-delivery-retry.store.js';
import { AsyncApiContract } from '../../support/asyncapi-contract.js';
import { freePort } from '../../support/spawned-process.js';
import { createTestVhost, type TestVhost } from '../messaging/rabbitmq-vhost.js';

const PRODUCT = randomUUID();
const UNIT_PRICE = 1_250;

class InsufficientStockError extends DomainError {
  readonly code = CATALOG_ERROR_CODES.INSUFFICIENT_STOCK;
  readonly kind = 'conflict';
}

/** Holds `catalog.v1.stock.release` until the test lets it answer, and counts its calls. */
@Injectable()
class ReleaseGate {
  calls = 0;
  private open!: () => void;
  readonly opened = new Promise<void>((resolve) => (this.open = resolve));

  release(): void {
    this.open();
  }
}

/** Catalog's published requests with canned behaviour: the client and the wire are under test. */
@Controller()
class FakeCatalog {
  constructor(private readonly gate: ReleaseGate) {}

  @MessagePattern(CATALOG_PATTERNS.PRICE_BASKET)
  price(@Payload(new MessagePayloadPipe(PriceBasketRequest)) request: PriceBasketRequest) {
    const lines = request.items.map(({ productId, quantity }) => ({
      productId,
      sku: 'MUG-1',
      name: 'Mug',
      unitPrice: UNIT_PRICE,
      quantity,
      lineTotal: UNIT_PRICE * quantity,
    }));
    const reply: PriceBasketReply = {
      currency: 'EUR',
      lines,
      total: lines.reduce((sum, line) => sum + line.lineTotal, 0),
      unknownProductIds: [],
      inactiveProductIds: [],
    };
    return reply;
  }

  @MessagePattern(CATALOG_PATTERNS.RESERVE_STOCK)
  reserve(@Payload(new MessagePayloadPipe(ReserveStockRequest)) request: ReserveStockRequest) {
    const productIds = request.items.map((item) => item.productId);
    throw new InsufficientStockError('not enough stock', {
      productIds,
      shortages: request.items.map(({ productId, quantity }) => ({
        productId,
        requested: quantity,
      })),
    });
  }

  /** Never reached by the test's unreadable message: the transport parks it first. */
  @EventPattern(ORDER_EVENTS.cancelled)
  async onOrderCancelled(@Payload() _event: unknown): Promise<void> {}

  @MessagePattern(CATALOG_PATTERNS.RELEASE_STOCK)
  async release(
    @Payload(new MessagePayloadPipe(ReleaseStockRequest)) _request: ReleaseStockRequest,
  ): Promise<ReleaseStockReply> {
    this.gate.calls += 1;
    await this.gate.opened;
    return { released: true };
  }
}

/** A raw AMQP connection, as a service in another language would have. */
interface RawBroker {
  readonly connection: ChannelModel;
  readonly channel: Channel;
}

async function waitFor<T>(find: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('ContractsClient and the AsyncAPI document against a real RabbitMQ', () => {
  const contract = new AsyncApiContract();
  let vhost: TestVhost;
  let transport: RmqTransport;
  let app: INestMicroservice;
  let gate: ReleaseGate;
  let raw: RawBroker;
  const clients: ContractsClient[] = [];

  const client = (options: Partial<Parameters<typeof ContractsClient.connect>[0]> = {}) => {
    const created = ContractsClient.connect({
      url: vhost.url,
      serviceName: 'contracts-client-test',
      timeoutMs: 10_000,
      ...options,
    });
    clients.push(created);
    return created;
  };

  const failureOf = (call: Promise<unknown>): Promise<RpcError> =>
    call.then(
      () => {
        throw new Error('the call succeeded');
      },
      (error: unknown) => {
        if (!(error instanceof RpcError)) throw error;
        return error;
      },
    );

  beforeAll(async () => {
    Logger.overrideLogger(false);
    vhost = await createTestVhost();
    transport = new RmqTransport(new InMemoryDeadLetterStore(), new InMemoryDeliveryRetryStore(), {
      url: vhost.url,
      serviceName: 'catalog',
      drainTimeoutMs: 5_000,
    });
    const moduleRef = await Test.createTestingModule({
      controllers: [FakeCatalog],
      providers: [ReleaseGate, { provide: APP_INTERCEPTOR, useClass: RpcErrorInterceptor }],
    }).compile();
    app = moduleRef.createNestMicroservice({ ...transport.microserviceOptions(), logger: false });
    await app.listen();
    gate = app.get(ReleaseGate);
    const connection = await amqp.connect(vhost.url);
    raw = { connection, channel: await connection.createChannel() };
  });

  afterAll(async () => {
    gate?.release();
    await Promise.allSettled(clients.map((created) => created.close()));
    await raw?.connection.close();
    await app?.close();
    await transport?.onApplicationShutdown();
    await vhost?.delete();
  });

  it('sends a typed request and resolves with the typed reply', async () => {
    const reply = await client().send(CATALOG_PATTERNS.PRICE_BASKET, {
      items: [{ productId: PRODUCT, quantity: 2 }],
    });

    expect(reply).toEqual({
      currency: 'EUR',
      lines: [
        {
          productId: PRODUCT,
          sku: 'MUG-1',
          name: 'Mug',
          unitPrice: UNIT_PRICE,
          quantity: 2,
          lineTotal: 2 * UNIT_PRICE,
        },
      ],
      total: 2 * UNIT_PRICE,
      unknownProductIds: [],
      inactiveProductIds: [],
    });
  });

  it("rejects with the service's own code and details, which never open the breaker", async () => {
    const catalog = client({ breaker: { volumeThreshold: 2, resetTimeoutMs: 60_000 } });
    const request = { orderId: randomUUID(), items: [{ productId: PRODUCT, quantity: 3 }] };

    for (let attempt = 0; attempt < 4; attempt += 1) {
      const error = await failureOf(catalog.send(CATALOG_PATTERNS.RESERVE_STOCK, request));
      expect(error.payload).toEqual({
        code: CATALOG_ERROR_CODES.INSUFFICIENT_STOCK,
        kind: 'conflict',
        message: 'not enough stock',
        details: { productIds: [PRODUCT], shortages: [{ productId: PRODUCT, requested: 3 }] },
      });
    }
    expect(catalog.breakerState('catalog')).toBe('closed');
  });

  it('rejects an invalid request with MESSAGING.VALIDATION_FAILED naming the fields', async () => {
    const error = await failureOf(
      client().send(CATALOG_PATTERNS.PRICE_BASKET, {
        items: [{ productId: 'not-a-uuid', quantity: 0 }],
      }),
    );

    expect(error.code).toBe(MESSAGING_ERROR_CODES.VALIDATION_FAILED);
    expect(error.details?.violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'items.0.productId' }),
        expect.objectContaining({ field: 'items.0.quantity' }),
      ]),
    );
  });

  it('times out, and once timeouts pass the threshold fails fast with MESSAGING.UNAVAILABLE', async () => {
    const catalog = client({
      timeoutMs: 300,
      breaker: { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 },
    });
    const release = () => catalog.send(CATALOG_PATTERNS.RELEASE_STOCK, { orderId: randomUUID() });

    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect((await failureOf(release())).code).toBe(MESSAGING_ERROR_CODES.TIMEOUT);
    }
    await waitFor(() => (gate.calls >= 2 ? true : undefined), 'both requests to reach catalog');
    expect(catalog.breakerState('catalog')).toBe('open');

    const refused = await failureOf(release());
    expect(refused.code).toBe(MESSAGING_ERROR_CODES.UNAVAILABLE);
    expect(refused.details).toMatchObject({ pattern: CATALOG_PATTERNS.RELEASE_STOCK });
    expect(gate.calls).toBe(2);
  });

  it('rejects with MESSAGING.UNAVAILABLE while the broker cannot be reached', async () => {
    const unreachable = client({ url: `amqp://guest:guest@127.0.0.1:${await freePort()}/` });

    const error = await failureOf(
      unreachable.send(CATALOG_PATTERNS.PRICE_BASKET, {
        items: [{ productId: PRODUCT, quantity: 1 }],
      }),
    );

    expect(error.code).toBe(MESSAGING_ERROR_CODES.UNAVAILABLE);
    expect(error.message).toMatch(/^the broker cannot be reached/);
  });

  describe('the wire, as docs/contracts/asyncapi.yaml describes it', () => {
    it("the client's request: body, headers and AMQP properties", async () => {
      const spy = await raw.channel.assertQueue('', { exclusive: true });
      await raw.channel.bindQueue(spy.queue, 'commerce', CATALOG_PATTERNS.PRICE_BASKET);
      const seen: ConsumeMessage[] = [];
      await raw.channel.consume(spy.queue, (message) => message && seen.push(message), {
        noAck: true,
      });

      await client().send(CATALOG_PATTERNS.PRICE_BASKET, {
        items: [{ productId: PRODUCT, quantity: 1 }],
      });
      const request = await waitFor(() => seen[0], 'the spy to see the request');

      expect(contract.violations('catalog.v1.basket.price.request', request)).toEqual([]);
      // Transient: a request is of no use after its caller's timeout, so it is never written to disk.
      expect(request.properties.deliveryMode).toBe(1);
      await raw.channel.deleteQueue(spy.queue);
    });

    it('a request built from the document alone gets the documented reply and error reply', async () => {
      const replies = new Map<string, ConsumeMessage>();
      await raw.channel.consume(
        'amq.rabbitmq.reply-to',
        (message) => message && replies.set(String(message.properties.correlationId), message),
        { noAck: true },
      );
      const ask = (pattern: string, data: object): string => {
        const id = randomUUID();
        raw.channel.publish(
          'commerce',
          pattern,
          Buffer.from(JSON.stringify({ pattern, data, id })),
          {
            replyTo: 'amq.rabbitmq.reply-to',
            correlationId: id,
            contentType: 'application/json',
            expiration: '10000',
          },
        );
        return id;
      };

      const priced = ask(CATALOG_PATTERNS.PRICE_BASKET, {
        items: [{ productId: PRODUCT, quantity: 2 }],
      });
      const refused = ask(CATALOG_PATTERNS.RESERVE_STOCK, {
        orderId: randomUUID(),
        items: [{ productId: PRODUCT, quantity: 1 }],
      });

      const reply = await waitFor(() => replies.get(priced), 'the price reply');
      expect(contract.violations('catalog.v1.basket.price.reply', reply)).toEqual([]);
      expect(JSON.parse(reply.content.toString())).toMatchObject({
        id: priced,
        isDisposed: true,
        response: { total: 2 * UNIT_PRICE },
      });

      const error = await waitFor(() => replies.get(refused), 'the reserve error reply');
      expect(contract.violations('rpc.error', error)).toEqual([]);
      const { err } = JSON.parse(error.content.toString()) as { err: { code: string } };
      expect(contract.errorCodes(CATALOG_PATTERNS.RESERVE_STOCK)).toContain(err.code);
    });

    it('a dead letter the platform parks', async () => {
      const parked: ConsumeMessage[] = [];
      await raw.channel.consume(
        'catalog.dead-letters',
        (message) => message && parked.push(message),
        {
          noAck: true,
        },
      );

      raw.channel.publish('commerce', ORDER_EVENTS.cancelled, Buffer.from('not json'), {
        contentType: 'application/json',
      });
      const deadLetter = await waitFor(() => parked[0], 'the dead letter');

      expect(contract.violations('dead-letter', deadLetter)).toEqual([]);
      expect(deadLetter.properties.headers).toMatchObject({ 'x-consumer': 'catalog' });
    });

    it('an event the platform publishes', async () => {
      const consumer = await raw.channel.assertQueue('', { exclusive: true });
      await raw.channel.bindQueue(consumer.queue, 'commerce', 'orders.v1.*');
      const seen: ConsumeMessage[] = [];
      await raw.channel.consume(consumer.queue, (message) => message && seen.push(message), {
        noAck: true,
      });
      const payload: OrderPlacedPayload = {
        orderId: randomUUID(),
        customerId: randomUUID(),
        currency: 'EUR',
        total: UNIT_PRICE,
        lines: [
          { productId: PRODUCT, sku: 'MUG-1', name: 'Mug', quantity: 1, unitPrice: UNIT_PRICE },
        ],
      };
      const publisher = new MessagingClient(transport.createClient(), { rpcTimeoutMs: 10_000 });

      const envelope = createEnvelope(ORDER_EVENTS.placed, payload, {
        correlationId: randomUUID(),
      });
      await publisher.emit(envelope);
      const event = await waitFor(() => seen[0], 'the event');

      expect(contract.violations(ORDER_EVENTS.placed, event)).toEqual([]);
      expect(event.properties.messageId).toBe(envelope.id);
      expect(event.properties.deliveryMode).toBe(2);
      await raw.channel.deleteQueue(consumer.queue);
    });
  });
});
