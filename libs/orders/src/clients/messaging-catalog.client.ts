import { Injectable } from '@nestjs/common';
import {
  CATALOG_ERROR_CODES,
  CATALOG_PATTERNS,
  MESSAGING_ERROR_CODES,
  type PriceAndReserveBasketReply,
  type PriceAndReserveBasketRequest,
  type ReleaseStockReply,
  type ReleaseStockRequest,
} from '#lib/contracts';
import { MessagingClient, RpcError } from '#lib/messaging';
import { CircuitBreakerRegistry, ResilienceError, ResiliencePolicy } from '#lib/resilience';
import type { RequestedItem } from '../domain/requested-items.js';
import {
  MixedCurrenciesError,
  OutOfStockError,
  ProductsUnavailableError,
  type StockShortage,
} from '../domain/placement.errors.js';
import { OrdersSettings } from '../services/orders-settings.js';
import { type CatalogCallEffort, CatalogClient, type PricedBasket } from './catalog.client.js';
import { CatalogUnavailableError } from './catalog-unavailable.error.js';

/** One breaker for every call to the catalog: when it is down, all callers stop together. */
export const CATALOG_BREAKER = 'catalog';

// No reply, or a reply that says the catalog itself failed: worth another attempt later.
const NO_ANSWER: ReadonlySet<string> = new Set([
  MESSAGING_ERROR_CODES.TIMEOUT,
  MESSAGING_ERROR_CODES.UNAVAILABLE,
  MESSAGING_ERROR_CODES.NO_HANDLER,
  MESSAGING_ERROR_CODES.INTERNAL,
]);

/**
 * The catalog port over messaging RPC (`catalog.v1.*`, in process or over RabbitMQ). Every call
 * has a timeout, is retried on no-answer (both requests are safe to repeat: price-and-reserve and
 * release are idempotent per order) and goes through the `catalog` circuit breaker.
 * The catalog's error codes become this context's errors here, and only here.
 */
@Injectable()
export class MessagingCatalogClient extends CatalogClient {
  private readonly policies: Record<CatalogCallEffort, ResiliencePolicy>;
  private readonly rpcTimeoutMs: number;

  constructor(
    private readonly messaging: MessagingClient,
    settings: OrdersSettings,
    breakers: CircuitBreakerRegistry,
  ) {
    super();
    this.rpcTimeoutMs = settings.catalogRpcTimeoutMs;
    const breaker =
      breakers.get(CATALOG_BREAKER) ??
      breakers.create(CATALOG_BREAKER, {
        errorThresholdPercentage: 50,
        volumeThreshold: 10,
        resetTimeoutMs: 10_000,
      });
    // The RPC's own timeout fires first and names the pattern; the policy's is the safety net.
    const timeoutMs = settings.catalogRpcTimeoutMs + 100;
    this.policies = {
      patient: new ResiliencePolicy(breaker, {
        timeoutMs,
        retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
      }),
      once: new ResiliencePolicy(breaker, {
        timeoutMs,
        retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
      }),
    };
  }

  async priceAndReserve(
    orderId: string,
    items: readonly RequestedItem[],
    effort: CatalogCallEffort = 'patient',
  ): Promise<PricedBasket> {
    const reply = await this.call<PriceAndReserveBasketReply, PriceAndReserveBasketRequest>(
      CATALOG_PATTERNS.PRICE_AND_RESERVE_BASKET,
      { orderId, items: items.map(({ productId, quantity }) => ({ productId, quantity })) },
      effort,
    );
    return {
      currency: reply.currency,
      lines: reply.lines.map((line) => ({
        productId: line.productId,
        sku: line.sku,
        name: line.name,
        unitPrice: line.unitPrice,
        quantity: line.quantity,
      })),
    };
  }

  async releaseStock(orderId: string): Promise<void> {
    await this.call<ReleaseStockReply, ReleaseStockRequest>(CATALOG_PATTERNS.RELEASE_STOCK, {
      orderId,
    });
  }

  private async call<TReply, TRequest>(
    pattern: string,
    request: TRequest,
    effort: CatalogCallEffort = 'patient',
  ): Promise<TReply> {
    try {
      return await this.policies[effort].execute(async () => {
        try {
          return await this.messaging.send<TReply, TRequest>(pattern, request, {
            timeoutMs: this.rpcTimeoutMs,
          });
        } catch (error) {
          throw translate(pattern, error);
        }
      });
    } catch (error) {
      // Retries exhausted, attempt timed out or breaker open: the catalog gave no answer.
      if (error instanceof ResilienceError)
        throw new CatalogUnavailableError(pattern, { cause: error });
      throw error;
    }
  }
}

/** The catalog's reply errors as this context's errors; anything unexpected passes unchanged. */
function translate(pattern: string, error: unknown): unknown {
  if (!(error instanceof RpcError)) return error;
  const details = error.details ?? {};
  switch (error.code) {
    case CATALOG_ERROR_CODES.INSUFFICIENT_STOCK:
      return new OutOfStockError(strings(details.productIds), shortages(details.shortages));
    case CATALOG_ERROR_CODES.PRODUCTS_UNAVAILABLE:
      return new ProductsUnavailableError(
        strings(details.unknownProductIds),
        strings(details.inactiveProductIds),
      );
    case CATALOG_ERROR_CODES.MIXED_CURRENCIES:
      return new MixedCurrenciesError(strings(details.currencies));
    default:
      return NO_ANSWER.has(error.code)
        ? new CatalogUnavailableError(pattern, { cause: error })
        : error;
  }
}

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

/** The short lines only: a stock level an older catalog still sends is not passed on. */
function shortages(value: unknown): StockShortage[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    const { productId, requested } = (item ?? {}) as Record<string, unknown>;
    return typeof productId === 'string' && typeof requested === 'number'
      ? [{ productId, requested }]
      : [];
  });
}
