import { randomUUID } from 'node:crypto';
import { type INestMicroservice, Logger } from '@nestjs/common';
import { ConfigEnvironment, ConfigModule } from '#lib/config';
import {
  CATALOG_ERROR_CODES,
  CATALOG_PATTERNS,
  MESSAGING_ERROR_CODES,
  ORDER_EVENTS,
  type OrderCancelledPayload,
  type PriceAndReserveBasketReply,
  type PriceBasketReply,
  type ReleaseStockReply,
  type ReserveStockReply,
} from '#lib/contracts';
import { DatabaseConnection, DatabaseModule } from '#lib/database';
import {
  createEnvelope,
  MessagingClient,
  MessagingModule,
  MessagingTransport,
  RpcError,
} from '#lib/messaging';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { CatalogModule } from '../../../libs/catalog/src/catalog.module.js';
import { eventually } from '../../e2e/orders-shop.js';
import { testDatabaseReady } from '../../support/app-process.js';
import { testAppEnvironment } from '../../support/test-environment.js';
import { uniqueSku } from './catalog-database.js';

/**
 * The catalog's request handlers as another context calls them: through the real CatalogModule,
 * served on the in-process transport, which serialises payloads as the wire would.
 */
describe('catalog requests over the in-process transport', () => {
  let app: INestMicroservice;
  let client: MessagingClient;
  let dataSource: DataSource;
  const productIds: string[] = [];
  const orderIds: string[] = [];
  const eventIds: string[] = [];

  const newProduct = async (stock: number, amount = 1299, currency = 'EUR'): Promise<string> => {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO catalog.products (id, sku, name, description, price_amount, price_currency, stock, active, version, created_at, updated_at)
       VALUES ($1, $2, 'RPC mug', '', $3, $4, $5, true, 1, now(), now())`,
      [id, uniqueSku('RPC'), amount, currency, stock],
    );
    productIds.push(id);
    return id;
  };

  const newOrder = (): string => {
    const orderId = randomUUID();
    orderIds.push(orderId);
    return orderId;
  };

  const stockOf = async (productId: string): Promise<number> => {
    const [{ stock }] = await dataSource.query<{ stock: number }[]>(
      'SELECT stock FROM catalog.products WHERE id = $1',
      [productId],
    );
    return stock;
  };

  const failure = (promise: Promise<unknown>): Promise<RpcError> =>
    promise.then(
      () => {
        throw new Error('expected an error reply');
      },
      (error: unknown) => error as RpcError,
    );

  beforeAll(async () => {
    Logger.overrideLogger(false);
    await testDatabaseReady();
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule,
        DatabaseModule.forRoot(),
        // No relay: this suite publishes nothing, and must not take other suites' outbox rows.
        MessagingModule.forRoot({ rpcTimeoutMs: 5_000, relay: { enabled: false } }),
        CatalogModule.forRoot({ cacheTtlSeconds: 30 }),
      ],
    })
      .overrideProvider(ConfigEnvironment)
      .useValue(new ConfigEnvironment(testAppEnvironment()))
      .compile();
    app = moduleRef.createNestMicroservice({
      ...moduleRef.get(MessagingTransport).microserviceOptions(),
      logger: false,
    });
    await app.listen();
    await app.get(DatabaseConnection).whenReady();
    dataSource = app.get(DataSource);
    client = app.get(MessagingClient);
  });

  afterAll(async () => {
    await dataSource.query('DELETE FROM catalog.processed_messages WHERE message_id = ANY($1)', [
      eventIds,
    ]);
    await dataSource.query('DELETE FROM catalog.reservations WHERE order_id = ANY($1::uuid[])', [
      orderIds,
    ]);
    await dataSource.query('DELETE FROM catalog.products WHERE id = ANY($1::uuid[])', [productIds]);
    await app.close();
  });

  it('prices a basket and reports the products it could not price', async () => {
    const mug = await newProduct(5, 1299);
    const unknown = randomUUID();

    const reply = await client.send<PriceBasketReply>(CATALOG_PATTERNS.PRICE_BASKET, {
      items: [
        { productId: mug, quantity: 2 },
        { productId: unknown, quantity: 1 },
      ],
    });

    expect(reply).toEqual({
      currency: 'EUR',
      lines: [
        expect.objectContaining({ productId: mug, unitPrice: 1299, quantity: 2, lineTotal: 2598 }),
      ],
      total: 2598,
      unknownProductIds: [unknown],
      inactiveProductIds: [],
    });
  });

  it('answers a basket in two currencies with CATALOG.MIXED_CURRENCIES', async () => {
    const [eur, usd] = [await newProduct(1, 100, 'EUR'), await newProduct(1, 100, 'USD')];

    const error = await failure(
      client.send(CATALOG_PATTERNS.PRICE_BASKET, {
        items: [
          { productId: eur, quantity: 1 },
          { productId: usd, quantity: 1 },
        ],
      }),
    );

    expect(error).toBeInstanceOf(RpcError);
    expect(error.code).toBe(CATALOG_ERROR_CODES.MIXED_CURRENCIES);
  });

  it('reserves and releases stock, and answers a shortage with CATALOG.INSUFFICIENT_STOCK and the ids', async () => {
    const mug = await newProduct(2);
    const orderId = newOrder();

    const shortage = await failure(
      client.send(CATALOG_PATTERNS.RESERVE_STOCK, {
        orderId: newOrder(),
        items: [{ productId: mug, quantity: 3 }],
      }),
    );
    expect(shortage.code).toBe(CATALOG_ERROR_CODES.INSUFFICIENT_STOCK);
    expect(shortage.kind).toBe('conflict');
    expect(shortage.details).toMatchObject({ productIds: [mug] });

    expect(
      await client.send<ReserveStockReply>(CATALOG_PATTERNS.RESERVE_STOCK, {
        orderId,
        items: [{ productId: mug, quantity: 2 }],
      }),
    ).toEqual({ reserved: true });
    expect(
      await client.send<ReleaseStockReply>(CATALOG_PATTERNS.RELEASE_STOCK, { orderId }),
    ).toEqual({ released: true });
    expect(await stockOf(mug)).toBe(2);
  });

  it('prices and reserves a basket in one request, and a repeat takes nothing more', async () => {
    const [mug, tea] = [await newProduct(5, 1299), await newProduct(3, 450)];
    const request = {
      orderId: newOrder(),
      items: [
        { productId: tea, quantity: 1 },
        { productId: mug, quantity: 2 },
      ],
    };

    const reply = await client.send<PriceAndReserveBasketReply>(
      CATALOG_PATTERNS.PRICE_AND_RESERVE_BASKET,
      request,
    );
    const repeat = await client.send<PriceAndReserveBasketReply>(
      CATALOG_PATTERNS.PRICE_AND_RESERVE_BASKET,
      request,
    );

    expect(reply).toEqual({
      orderId: request.orderId,
      currency: 'EUR',
      lines: [
        expect.objectContaining({ productId: tea, unitPrice: 450, quantity: 1, lineTotal: 450 }),
        expect.objectContaining({ productId: mug, unitPrice: 1299, quantity: 2, lineTotal: 2598 }),
      ],
      total: 3048,
    });
    expect(repeat).toEqual(reply);
    expect([await stockOf(mug), await stockOf(tea)]).toEqual([3, 2]);
  });

  it.each([
    ['a shortage', CATALOG_ERROR_CODES.INSUFFICIENT_STOCK, { quantity: 9 }],
    ['an unknown product', CATALOG_ERROR_CODES.PRODUCTS_UNAVAILABLE, { productId: randomUUID() }],
  ])('answers %s with %s and holds nothing', async (_case, code, line) => {
    const mug = await newProduct(4);
    const orderId = newOrder();

    const error = await failure(
      client.send(CATALOG_PATTERNS.PRICE_AND_RESERVE_BASKET, {
        orderId,
        items: [
          { productId: mug, quantity: 1 },
          { productId: mug, quantity: 1, ...line },
        ],
      }),
    );

    expect(error.code).toBe(code);
    expect(await stockOf(mug)).toBe(4);
    const held = await dataSource.query('SELECT 1 FROM catalog.reservations WHERE order_id = $1', [
      orderId,
    ]);
    expect(held).toEqual([]);
  });

  it('answers price-and-reserve in two currencies with CATALOG.MIXED_CURRENCIES, holding nothing', async () => {
    const [eur, usd] = [await newProduct(2, 100, 'EUR'), await newProduct(2, 100, 'USD')];

    const error = await failure(
      client.send(CATALOG_PATTERNS.PRICE_AND_RESERVE_BASKET, {
        orderId: newOrder(),
        items: [
          { productId: eur, quantity: 1 },
          { productId: usd, quantity: 1 },
        ],
      }),
    );

    expect(error.code).toBe(CATALOG_ERROR_CODES.MIXED_CURRENCIES);
    expect([await stockOf(eur), await stockOf(usd)]).toEqual([2, 2]);
  });

  it('releases a cancelled order’s stock on orders.v1.order-cancelled, once however often it is delivered', async () => {
    const mug = await newProduct(5);
    const orderId = newOrder();
    await client.send(CATALOG_PATTERNS.PRICE_AND_RESERVE_BASKET, {
      orderId,
      items: [{ productId: mug, quantity: 3 }],
    });
    const event = createEnvelope<OrderCancelledPayload>(ORDER_EVENTS.cancelled, {
      orderId,
      customerId: randomUUID(),
      reason: 'cancelled_by_admin',
      wasPaid: false,
    });
    eventIds.push(event.id);

    await client.emit(event);
    await client.emit(event);

    await eventually(
      () => stockOf(mug),
      (stock) => stock === 5,
      { what: 'the cancelled order’s stock to come back' },
    );
    const late = await failure(
      client.send(CATALOG_PATTERNS.PRICE_AND_RESERVE_BASKET, {
        orderId,
        items: [{ productId: mug, quantity: 3 }],
      }),
    );
    expect(late.code).toBe(CATALOG_ERROR_CODES.RESERVATION_RELEASED);
    expect(await stockOf(mug)).toBe(5);
  });

  it.each([
    ['no items', CATALOG_PATTERNS.PRICE_BASKET, { items: [] }],
    [
      'a zero quantity',
      CATALOG_PATTERNS.PRICE_BASKET,
      { items: [{ productId: randomUUID(), quantity: 0 }] },
    ],
    [
      'a product id that is not a UUID',
      CATALOG_PATTERNS.PRICE_BASKET,
      { items: [{ productId: 'mug', quantity: 1 }] },
    ],
    ['an unknown field', CATALOG_PATTERNS.RELEASE_STOCK, { orderId: randomUUID(), force: true }],
    [
      'no order id',
      CATALOG_PATTERNS.RESERVE_STOCK,
      { items: [{ productId: randomUUID(), quantity: 1 }] },
    ],
    [
      'no order id to reserve for',
      CATALOG_PATTERNS.PRICE_AND_RESERVE_BASKET,
      { items: [{ productId: randomUUID(), quantity: 1 }] },
    ],
  ])(
    'answers a request with %s with MESSAGING.VALIDATION_FAILED',
    async (_case, pattern, payload) => {
      const error = await failure(client.send(pattern, payload));
      expect(error.code).toBe(MESSAGING_ERROR_CODES.VALIDATION_FAILED);
    },
  );
});
