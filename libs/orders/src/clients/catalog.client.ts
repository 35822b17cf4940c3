import type { OrderLine } from '../domain/order-line.js';
import type { RequestedItem } from '../domain/requested-items.js';

/** `patient` (the default) retries a call that got no answer; `once` does not. */
export type CatalogCallEffort = 'patient' | 'once';

/** The basket at the catalog's current prices, one line per product, all in one currency. */
export interface PricedBasket {
  readonly currency: string;
  readonly lines: readonly OrderLine[];
}

/**
 * What orders needs from the catalog context (port; also the DI token). Adapters translate the
 * catalog's replies into this context's errors:
 * - ProductsUnavailableError, OutOfStockError: a definite answer, and nothing is held for the order;
 * - MixedCurrenciesError: a definite answer; the catalog holds nothing either, but it is rare
 *   enough that the caller may release anyway;
 * - CatalogUnavailableError: no answer (timeout, catalog down). A reserve may or may not have
 *   happened, so the caller releases to be sure; release is idempotent.
 */
export abstract class CatalogClient {
  /**
   * Prices the basket and takes every item off stock for the order, or neither, in one request.
   * Repeating it for one order takes nothing more and answers the same lines. `effort: 'once'`
   * gives up after the first attempt gets no answer: for a caller with a fallback of its own.
   */
  abstract priceAndReserve(
    orderId: string,
    items: readonly RequestedItem[],
    effort?: CatalogCallEffort,
  ): Promise<PricedBasket>;

  /**
   * Puts the order's reserved stock back, once however often it is called. Releasing an order
   * that holds nothing makes the catalog refuse a late reserve for it.
   */
  abstract releaseStock(orderId: string): Promise<void>;
}
