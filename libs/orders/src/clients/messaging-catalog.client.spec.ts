import {
  CATALOG_ERROR_CODES,
  CATALOG_PATTERNS,
  MESSAGING_ERROR_CODES,
  type PriceAndReserveBasketReply,
  type RpcErrorPayload,
} from '#lib/contracts';
import { MessagingClient, RpcError, type SendOptions } from '#lib/messaging';
import { CircuitBreakerRegistry } from '#lib/resilience';
import { Registry } from 'prom-client';
import {
  MixedCurrenciesError,
  OutOfStockError,
  ProductsUnavailableError,
} from '../domain/placement.errors.js';
import { OrdersSettings } from '../services/orders-settings.js';
import { CatalogUnavailableError } from './catalog-unavailable.error.js';
import { MessagingCatalogClient } from './messaging-catalog.client.js';

const PRODUCT = '3f1c2a9e-0d4b-4c55-a1f2-6b7c8d9e0f12';
const ORDER = '9a1c3f6e-2b7d-4e8a-b5c0-1d2e3f4a5b6c';

type Reply = (pattern: string, payload: unknown) => unknown;

/** The messaging client with scripted replies: a value, or an RpcError payload to fail with. */
class ScriptedMessagingClient extends MessagingClient {
  readonly sent: { pattern: string; payload: unknown; timeoutMs?: number }[] = [];

  constructor(private readonly reply: Reply) {
    super(undefined as never, { rpcTimeoutMs: 1_000 });
  }

  override async send<TResult, TPayload = unknown>(
    pattern: string,
    payload: TPayload,
    options: SendOptions = {},
  ): Promise<TResult> {
    this.sent.push({ pattern, payload, timeoutMs: options.timeoutMs });
    return this.reply(pattern, payload) as TResult;
  }
}

const failWith =
  (payload: RpcErrorPayload): Reply =>
  () => {
    throw new RpcError(payload);
  };

function clientReplying(reply: Reply) {
  const messaging = new ScriptedMessagingClient(reply);
  const breakers = new CircuitBreakerRegistry(new Registry(), { log: () => {}, warn: () => {} });
  const catalog = new MessagingCatalogClient(
    messaging,
    new OrdersSettings({ catalogRpcTimeoutMs: 250 }),
    breakers,
  );
  return { messaging, catalog, breakers };
}

const reserved: PriceAndReserveBasketReply = {
  orderId: ORDER,
  currency: 'EUR',
  lines: [
    {
      productId: PRODUCT,
      sku: 'MUG-1',
      name: 'Mug',
      unitPrice: 1250,
      quantity: 2,
      lineTotal: 2500,
    },
  ],
  total: 2500,
};

describe('MessagingCatalogClient', () => {
  it('prices and reserves in one catalog.v1.basket.price-and-reserve request with the configured timeout', async () => {
    const { catalog, messaging, breakers } = clientReplying(() => reserved);
    await expect(
      catalog.priceAndReserve(ORDER, [{ productId: PRODUCT, quantity: 2 }]),
    ).resolves.toEqual({
      currency: 'EUR',
      lines: [{ productId: PRODUCT, sku: 'MUG-1', name: 'Mug', unitPrice: 1250, quantity: 2 }],
    });
    expect(messaging.sent).toEqual([
      {
        pattern: CATALOG_PATTERNS.PRICE_AND_RESERVE_BASKET,
        payload: { orderId: ORDER, items: [{ productId: PRODUCT, quantity: 2 }] },
        timeoutMs: 250,
      },
    ]);
    breakers.onModuleDestroy();
  });

  it.each([
    [
      CATALOG_ERROR_CODES.INSUFFICIENT_STOCK,
      { productIds: [PRODUCT], shortages: [{ productId: PRODUCT, requested: 3, available: 1 }] },
      OutOfStockError,
    ],
    [
      CATALOG_ERROR_CODES.PRODUCTS_UNAVAILABLE,
      { unknownProductIds: [PRODUCT], inactiveProductIds: [] },
      ProductsUnavailableError,
    ],
    [CATALOG_ERROR_CODES.MIXED_CURRENCIES, { currencies: ['EUR', 'USD'] }, MixedCurrenciesError],
  ])(
    'translates the catalog reply %s into this context’s error, without retrying',
    async (code, details, type) => {
      const { catalog, messaging, breakers } = clientReplying(
        failWith({ code, message: 'no', kind: 'conflict', details }),
      );
      await expect(
        catalog.priceAndReserve(ORDER, [{ productId: PRODUCT, quantity: 3 }]),
      ).rejects.toBeInstanceOf(type);
      expect(messaging.sent).toHaveLength(1);
      breakers.onModuleDestroy();
    },
  );

  it('keeps the short lines of an out-of-stock reply and drops any stock level in it', async () => {
    // A catalog of an earlier release still sends `available`: it must not reach the customer.
    const { catalog, breakers } = clientReplying(
      failWith({
        code: CATALOG_ERROR_CODES.INSUFFICIENT_STOCK,
        message: 'no',
        kind: 'conflict',
        details: {
          productIds: [PRODUCT],
          shortages: [{ productId: PRODUCT, requested: 3, available: 1 }],
        },
      }),
    );
    const error = await catalog
      .priceAndReserve(ORDER, [{ productId: PRODUCT, quantity: 3 }])
      .catch((failure: unknown) => failure);

    expect(error).toBeInstanceOf(OutOfStockError);
    expect((error as OutOfStockError).details).toEqual({
      productIds: [PRODUCT],
      shortages: [{ productId: PRODUCT, requested: 3 }],
    });
    breakers.onModuleDestroy();
  });

  it('retries a release that got no answer, and succeeds when the catalog answers', async () => {
    let calls = 0;
    const { catalog, messaging, breakers } = clientReplying(() => {
      calls += 1;
      if (calls < 3) throw RpcError.timeout(CATALOG_PATTERNS.RELEASE_STOCK, 250);
      return { released: true };
    });
    await expect(catalog.releaseStock(ORDER)).resolves.toBeUndefined();
    expect(messaging.sent.map((sent) => sent.payload)).toEqual([
      { orderId: ORDER },
      { orderId: ORDER },
      { orderId: ORDER },
    ]);
    breakers.onModuleDestroy();
  });

  it('reports CatalogUnavailableError once the catalog stays silent through every retry', async () => {
    const { catalog, messaging, breakers } = clientReplying(
      failWith({ code: MESSAGING_ERROR_CODES.NO_HANDLER, message: 'no handler' }),
    );
    await expect(catalog.releaseStock(ORDER)).rejects.toBeInstanceOf(CatalogUnavailableError);
    expect(messaging.sent).toHaveLength(3);
    breakers.onModuleDestroy();
  });

  it('asks once, without retrying, when the caller has a fallback of its own', async () => {
    const { catalog, messaging, breakers } = clientReplying(() => {
      throw RpcError.timeout(CATALOG_PATTERNS.PRICE_AND_RESERVE_BASKET, 250);
    });
    await expect(
      catalog.priceAndReserve(ORDER, [{ productId: PRODUCT, quantity: 2 }], 'once'),
    ).rejects.toBeInstanceOf(CatalogUnavailableError);
    expect(messaging.sent).toHaveLength(1);
    await expect(
      catalog.priceAndReserve(ORDER, [{ productId: PRODUCT, quantity: 2 }]),
    ).rejects.toBeInstanceOf(CatalogUnavailableError);
    expect(messaging.sent).toHaveLength(4);
    breakers.onModuleDestroy();
  });

  it('passes an unexpected reply error through unchanged and does not retry it', async () => {
    const { catalog, messaging, breakers } = clientReplying(
      failWith({ code: CATALOG_ERROR_CODES.RESERVATION_RELEASED, message: 'released' }),
    );
    await expect(
      catalog.priceAndReserve(ORDER, [{ productId: PRODUCT, quantity: 1 }]),
    ).rejects.toMatchObject({
      code: CATALOG_ERROR_CODES.RESERVATION_RELEASED,
    });
    expect(messaging.sent).toHaveLength(1);
    breakers.onModuleDestroy();
  });
});
