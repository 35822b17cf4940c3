import { randomUUID } from 'node:crypto';
import {
  type ArgumentsHost,
  Catch,
  Controller,
  type ExceptionFilter,
  type INestMicroservice,
  Logger,
  type Provider,
} from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { type MessageEnvelope, MESSAGING_ERROR_CODES } from '#lib/contracts';
import { DomainError } from '#lib/kernel';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { IsInt, IsISO8601, IsString, IsUUID, Min } from 'class-validator';
import { MessagingClient } from '../client/messaging.client.js';
import { CorrelationScope } from '../correlation/correlation-scope.js';
import { DeliveryPolicy } from '../delivery/delivery-policy.decorator.js';
import { createEnvelope } from '../envelope/create-envelope.js';
import { RpcError } from '../errors/rpc-error.js';
import { RpcErrorInterceptor } from '../errors/rpc-error.interceptor.js';
import { InMemoryDeadLetterStore } from '../testing/in-memory-dead-letter.store.js';
import { InMemoryDeliveryRetryStore } from '../testing/in-memory-delivery-retry.store.js';
import { EventEnvelopePipe } from '../validation/event-envelope.pipe.js';
import { MessagePayloadPipe } from '../validation/message-payload.pipe.js';
import { InProcessTransport } from './in-process.transport.js';

const ORDER_PLACED = 'orders.v1.order-placed';

class PriceBasketRequest {
  @IsString()
  sku!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

class OrderPlaced {
  @IsUUID()
  orderId!: string;

  @IsISO8601()
  placedAt!: string;
}

class Quote {
  constructor(
    readonly sku: string,
    readonly totalMinor: number,
    readonly quotedAt: Date,
  ) {}

  get currency(): string {
    return 'EUR';
  }
}

class OutOfStockError extends DomainError {
  readonly code = 'CATALOG.OUT_OF_STOCK';
  readonly kind = 'conflict' as const;
}

@Controller()
class CatalogHandlers {
  priced: PriceBasketRequest[] = [];
  releaseSlowReply: () => void = () => undefined;

  @MessagePattern('catalog.v1.basket.price')
  price(@Payload(new MessagePayloadPipe(PriceBasketRequest)) request: PriceBasketRequest): Quote {
    this.priced.push(request);
    return new Quote(request.sku, request.quantity * 250, new Date('2026-03-01T10:00:00.000Z'));
  }

  @MessagePattern('test.v1.echo')
  echo(@Payload() data: { when: unknown }): { typeOfWhen: string; when: unknown } {
    return { typeOfWhen: typeof data.when, when: data.when };
  }

  @MessagePattern('catalog.v1.stock.reserve')
  reserve(): never {
    throw new OutOfStockError('only 1 left of sku A-1', { sku: 'A-1', available: 1 });
  }

  @MessagePattern('test.v1.crash')
  crash(): never {
    throw new Error('relation "secret_table" does not exist');
  }

  @MessagePattern('test.v1.slow')
  slow(): Promise<string> {
    return new Promise((resolve) => (this.releaseSlowReply = () => resolve('late')));
  }

  @MessagePattern('test.v1.correlation')
  correlation(): { correlationId?: string; causationId?: string } {
    const scope = CorrelationScope.current();
    return { correlationId: scope?.correlationId, causationId: scope?.causationId };
  }
}

@Controller()
class PaymentsSubscriber {
  received: MessageEnvelope<OrderPlaced>[] = [];
  emitted: MessageEnvelope[] = [];

  @EventPattern(ORDER_PLACED)
  @DeliveryPolicy({ maxAttempts: 3, backoffMs: 5, consumer: 'payments.charge-order' })
  onOrderPlaced(
    @Payload(new EventEnvelopePipe(OrderPlaced)) event: MessageEnvelope<OrderPlaced>,
  ): void {
    this.received.push(event);
    this.emitted.push(createEnvelope('payments.v1.payment-succeeded', { id: 'p-1' }));
  }
}

@Controller()
class NotificationsSubscriber {
  attempts = 0;
  failuresLeft = 0;
  delivered = 0;

  @DeliveryPolicy({ maxAttempts: 3, backoffMs: 5 })
  @EventPattern(ORDER_PLACED)
  async onOrderPlaced(
    @Payload(new EventEnvelopePipe(OrderPlaced)) _event: MessageEnvelope<OrderPlaced>,
  ): Promise<void> {
    this.attempts += 1;
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('mailer unavailable');
    }
    this.delivered += 1;
  }
}

/** Like the platform's problem-details filter: handles HTTP, rethrows anything else. */
@Catch()
class HttpOnlyFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
  }
}

const orderPlaced = (payload: unknown = { orderId: randomUUID(), placedAt: new Date() }) =>
  createEnvelope(ORDER_PLACED, payload, { correlationId: 'corr-1' });

async function expectRpcError(promise: Promise<unknown>): Promise<RpcError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(RpcError);
  return error as RpcError;
}

// Failures are logged on purpose; the assertions check them.
beforeAll(() => {
  Logger.overrideLogger(false);
});

describe.each([
  ["Nest's default RPC exception filter", [] as Provider[]],
  [
    'an app-wide filter that rethrows non-HTTP errors',
    [{ provide: APP_FILTER, useClass: HttpOnlyFilter }] as Provider[],
  ],
])('InProcessTransport behind %s', (_setup, extraProviders) => {
  let app: INestMicroservice;
  let transport: InProcessTransport;
  let deadLetters: InMemoryDeadLetterStore;
  let retries: InMemoryDeliveryRetryStore;
  let client: MessagingClient;

  beforeEach(async () => {
    deadLetters = new InMemoryDeadLetterStore();
    retries = new InMemoryDeliveryRetryStore();
    transport = new InProcessTransport(deadLetters, retries, { drainTimeoutMs: 200 });
    const moduleRef = await Test.createTestingModule({
      controllers: [CatalogHandlers, PaymentsSubscriber, NotificationsSubscriber],
      providers: [{ provide: APP_INTERCEPTOR, useClass: RpcErrorInterceptor }, ...extraProviders],
    }).compile();
    app = moduleRef.createNestMicroservice({ ...transport.microserviceOptions(), logger: false });
    await app.listen();
    client = new MessagingClient(transport.createClient(), { rpcTimeoutMs: 2_000 });
  });

  afterEach(async () => {
    app.get(CatalogHandlers).releaseSlowReply();
    await app.close();
  });

  describe('requests', () => {
    it('replies with JSON: a Date arrives as its ISO string and a class instance as a plain object', async () => {
      const reply = await client.send<Record<string, unknown>>('catalog.v1.basket.price', {
        sku: 'A-1',
        quantity: 2,
      });

      expect(reply).toEqual({ sku: 'A-1', totalMinor: 500, quotedAt: '2026-03-01T10:00:00.000Z' });
      expect(Object.getPrototypeOf(reply)).toBe(Object.prototype);
      expect(reply.currency).toBeUndefined();
    });

    it('delivers the request payload as JSON too, so a Date sent arrives as a string', async () => {
      const reply = await client.send<{ typeOfWhen: string; when: unknown }>('test.v1.echo', {
        when: new Date('2026-01-02T03:04:05.000Z'),
      });

      expect(reply).toEqual({ typeOfWhen: 'string', when: '2026-01-02T03:04:05.000Z' });
    });

    it('validates a request on receipt and replies MESSAGING.VALIDATION_FAILED naming each field', async () => {
      const error = await expectRpcError(
        client.send('catalog.v1.basket.price', { sku: 7, quantity: 0, coupon: 'FREE' }),
      );

      expect(error.code).toBe(MESSAGING_ERROR_CODES.VALIDATION_FAILED);
      const violations = (error.details?.violations ?? []) as { field: string }[];
      expect(violations.map((violation) => violation.field).sort()).toEqual([
        'coupon',
        'quantity',
        'sku',
      ]);
      expect(app.get(CatalogHandlers).priced).toEqual([]);
    });

    it('carries a domain error to the caller with its code, kind, message and details', async () => {
      const error = await expectRpcError(client.send('catalog.v1.stock.reserve', { sku: 'A-1' }));

      expect(error.payload).toEqual({
        code: 'CATALOG.OUT_OF_STOCK',
        kind: 'conflict',
        message: 'only 1 left of sku A-1',
        details: { sku: 'A-1', available: 1 },
      });
    });

    it('hides an unexpected failure behind MESSAGING.INTERNAL_ERROR, without its message', async () => {
      const error = await expectRpcError(client.send('test.v1.crash', {}));

      expect(error.code).toBe(MESSAGING_ERROR_CODES.INTERNAL);
      expect(error.message).not.toContain('secret_table');
    });

    it('fails with MESSAGING.TIMEOUT when the reply does not come in time', async () => {
      const error = await expectRpcError(client.send('test.v1.slow', {}, { timeoutMs: 50 }));

      expect(error.code).toBe(MESSAGING_ERROR_CODES.TIMEOUT);
      expect(error.details).toEqual({ pattern: 'test.v1.slow', timeoutMs: 50 });
    });

    it('fails fast with MESSAGING.NO_HANDLER when nobody answers the pattern', async () => {
      const started = Date.now();
      const error = await expectRpcError(client.send('nobody.v1.listens', {}));

      expect(error.code).toBe(MESSAGING_ERROR_CODES.NO_HANDLER);
      expect(Date.now() - started).toBeLessThan(1_000);
    });

    it('does not answer a request sent to an event pattern', async () => {
      const error = await expectRpcError(client.send(ORDER_PLACED, orderPlaced()));

      expect(error.code).toBe(MESSAGING_ERROR_CODES.NO_HANDLER);
    });

    it("runs the handler in the caller's correlation, caused by the request", async () => {
      const reply = await CorrelationScope.run({ correlationId: 'checkout-42' }, () =>
        client.send<{ correlationId: string; causationId: string }>('test.v1.correlation', {}),
      );

      expect(reply.correlationId).toBe('checkout-42');
      expect(typeof reply.causationId).toBe('string');
    });
  });

  describe('events', () => {
    it('fans an event out to every subscriber of its type', async () => {
      const event = orderPlaced();

      await client.emit(event);

      const payments = app.get(PaymentsSubscriber);
      expect(payments.received.map((received) => received.id)).toEqual([event.id]);
      expect(app.get(NotificationsSubscriber).delivered).toBe(1);
    });

    it('delivers the envelope as JSON: the payload Date arrives as an ISO string', async () => {
      const placedAt = new Date('2026-02-03T04:05:06.000Z');

      await client.emit(orderPlaced({ orderId: randomUUID(), placedAt }));

      expect(app.get(PaymentsSubscriber).received[0].payload.placedAt).toBe(
        '2026-02-03T04:05:06.000Z',
      );
    });

    it('retries a failing subscriber with backoff without redelivering to the others', async () => {
      const notifications = app.get(NotificationsSubscriber);
      notifications.failuresLeft = 2;

      await client.emit(orderPlaced());

      expect(notifications.attempts).toBe(3);
      expect(notifications.delivered).toBe(1);
      expect(app.get(PaymentsSubscriber).received).toHaveLength(1);
      expect(deadLetters.deadLetters).toEqual([]);
    });

    it('dead-letters an event once a subscriber has spent its retry budget', async () => {
      const notifications = app.get(NotificationsSubscriber);
      notifications.failuresLeft = 10;
      const event = orderPlaced();

      await client.emit(event);

      expect(notifications.attempts).toBe(3);
      expect(deadLetters.deadLetters).toEqual([
        expect.objectContaining({
          consumer: 'NotificationsSubscriber.onOrderPlaced',
          type: ORDER_PLACED,
          messageId: event.id,
          attempts: 3,
          reason: expect.stringContaining(MESSAGING_ERROR_CODES.INTERNAL),
        }),
      ]);
      expect(app.get(PaymentsSubscriber).received).toHaveLength(1);
    });

    it('dead-letters an invalid event at once with the reason, and goes on with the next one', async () => {
      const invalid = orderPlaced({ orderId: 'not-a-uuid', placedAt: 'yesterday' });
      const valid = orderPlaced();

      await client.emit(invalid);
      await client.emit(valid);

      const payments = app.get(PaymentsSubscriber);
      expect(payments.received.map((received) => received.id)).toEqual([valid.id]);
      expect(deadLetters.deadLetters).toHaveLength(2);
      for (const deadLetter of deadLetters.deadLetters) {
        expect(deadLetter).toMatchObject({ messageId: invalid.id, attempts: 1 });
        expect(deadLetter.reason).toContain(MESSAGING_ERROR_CODES.VALIDATION_FAILED);
        expect(deadLetter.error.details?.violations).toEqual([
          expect.objectContaining({ field: 'payload.orderId' }),
          expect.objectContaining({ field: 'payload.placedAt' }),
        ]);
        expect(deadLetter.envelope).toMatchObject({ id: invalid.id, payload: invalid.payload });
      }
    });

    it('dead-letters a message that is not an envelope at all', async () => {
      await client.emit({ ...orderPlaced(), id: 'x', version: 'one' } as never);

      expect(deadLetters.deadLetters.map((deadLetter) => deadLetter.consumer).sort()).toEqual([
        'NotificationsSubscriber.onOrderPlaced',
        'payments.charge-order',
      ]);
    });

    it('gives the handler the correlation of the event, and makes the event the cause of what it emits', async () => {
      const event = orderPlaced();

      await client.emit(event);

      const [emitted] = app.get(PaymentsSubscriber).emitted;
      expect(emitted).toMatchObject({ correlationId: 'corr-1', causationId: event.id });
    });
  });
});

describe('InProcessTransport once its server has closed', () => {
  it('fails requests and events fast with MESSAGING.UNAVAILABLE, so a publisher keeps them for later', async () => {
    const transport = new InProcessTransport(
      new InMemoryDeadLetterStore(),
      new InMemoryDeliveryRetryStore(),
    );
    const client = new MessagingClient(transport.createClient(), { rpcTimeoutMs: 5_000 });
    transport.server.listen(() => undefined);
    await client.connect();
    await transport.server.close();

    const eventError = await expectRpcError(client.emit(orderPlaced()));
    const requestError = await expectRpcError(client.send('catalog.v1.basket.price', {}));

    expect(eventError.code).toBe(MESSAGING_ERROR_CODES.UNAVAILABLE);
    expect(requestError.code).toBe(MESSAGING_ERROR_CODES.UNAVAILABLE);
  });
});

describe('InProcessServer with waits too long to spend in memory', () => {
  const failingHandler = (calls: { count: number; failUntil: number }) => async () => {
    calls.count += 1;
    if (calls.count <= calls.failUntil) throw new Error('mail server down');
  };

  function serve(retries: InMemoryDeliveryRetryStore, deadLetters: InMemoryDeadLetterStore) {
    const transport = new InProcessTransport(deadLetters, retries);
    const calls = { count: 0, failUntil: 0 };
    transport.server.addHandler(ORDER_PLACED, failingHandler(calls), true, {
      deliveryPolicy: { maxAttempts: 3, backoffMs: 60_000, maxBackoffMs: 60_000, consumer: 'c' },
    });
    transport.server.listen(() => undefined);
    const client = new MessagingClient(transport.createClient(), { rpcTimeoutMs: 1_000 });
    return { transport, calls, client };
  }

  it('stores the retry and lets the publisher go, instead of holding the message for a minute', async () => {
    const retries = new InMemoryDeliveryRetryStore();
    const { transport, calls, client } = serve(retries, new InMemoryDeadLetterStore());
    calls.failUntil = 1;
    const event = orderPlaced();

    await client.emit(event);

    expect(calls.count).toBe(1);
    expect(retries.retries).toEqual([
      expect.objectContaining({
        consumer: 'c',
        type: ORDER_PLACED,
        attempts: 1,
        dueInMs: 60_000,
        envelope: expect.objectContaining({ id: event.id }),
        lastError: expect.stringContaining(MESSAGING_ERROR_CODES.INTERNAL),
      }),
    ]);
    await transport.server.close();
  });

  it('delivers a stored retry to its consumer once due, and forgets it once processed', async () => {
    const retries = new InMemoryDeliveryRetryStore();
    const { transport, calls, client } = serve(retries, new InMemoryDeadLetterStore());
    calls.failUntil = 1;
    await client.emit(orderPlaced());
    retries.makeDue();
    const [due] = await retries.claimDue(['c'], 10);

    const outcome = await transport.redeliverer.redeliver(due);

    expect(outcome).toBe('processed');
    expect(calls.count).toBe(2);
    expect(retries.retries).toEqual([]);
    await transport.server.close();
  });

  it('dead-letters a stored retry once the budget is spent, counting every attempt', async () => {
    const retries = new InMemoryDeliveryRetryStore();
    const deadLetters = new InMemoryDeadLetterStore();
    const { transport, calls, client } = serve(retries, deadLetters);
    calls.failUntil = 10;
    await client.emit(orderPlaced());
    for (const expected of ['retry-scheduled', 'dead-lettered']) {
      retries.makeDue();
      const [due] = await retries.claimDue(['c'], 10);
      expect(await transport.redeliverer.redeliver(due)).toBe(expected);
    }

    expect(calls.count).toBe(3);
    expect(retries.retries).toEqual([]);
    expect(deadLetters.deadLetters).toEqual([
      expect.objectContaining({ consumer: 'c', attempts: 3 }),
    ]);
    await transport.server.close();
  });

  it('on close, moves a retry waiting in memory to the store at once rather than losing it', async () => {
    const retries = new InMemoryDeliveryRetryStore();
    const transport = new InProcessTransport(new InMemoryDeadLetterStore(), retries, {
      inlineRetryMaxMs: 60_000,
    });
    const calls = { count: 0, failUntil: 10 };
    transport.server.addHandler(ORDER_PLACED, failingHandler(calls), true, {
      deliveryPolicy: { maxAttempts: 5, backoffMs: 30_000, maxBackoffMs: 30_000, consumer: 'c' },
    });
    transport.server.listen(() => undefined);
    const client = new MessagingClient(transport.createClient(), { rpcTimeoutMs: 1_000 });
    const delivery = client.emit(orderPlaced());
    while (calls.count === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    await transport.server.close();
    await delivery;

    expect(calls.count).toBe(1);
    expect(retries.retries).toEqual([expect.objectContaining({ consumer: 'c', attempts: 1 })]);
  });
});
