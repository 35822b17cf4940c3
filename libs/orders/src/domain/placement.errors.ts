import { DomainError } from '#lib/kernel';

/** A line stock could not serve when an order was placed; never how many units are in stock. */
export interface StockShortage {
  readonly productId: string;
  readonly requested: number;
}

/** Some lines cannot be served from stock; nothing was reserved (409, with the short lines). */
export class OutOfStockError extends DomainError {
  readonly code = 'ORDERS.OUT_OF_STOCK';
  readonly kind = 'conflict';

  constructor(
    readonly productIds: readonly string[],
    readonly shortages: readonly StockShortage[] = [],
  ) {
    super(`Not enough stock for ${productIds.length} product(s); nothing was reserved`, {
      productIds,
      shortages,
    });
  }
}

/** Some products do not exist or are no longer sold (422, with their ids). */
export class ProductsUnavailableError extends DomainError {
  readonly code = 'ORDERS.PRODUCTS_UNAVAILABLE';
  readonly kind = 'unprocessable';

  constructor(
    readonly unknownProductIds: readonly string[],
    readonly inactiveProductIds: readonly string[],
  ) {
    super('Some products do not exist or are no longer sold', {
      productIds: [...unknownProductIds, ...inactiveProductIds],
      unknownProductIds,
      inactiveProductIds,
    });
  }
}

/** One order is paid in one currency; the basket's products are priced in several (422). */
export class MixedCurrenciesError extends DomainError {
  readonly code = 'ORDERS.MIXED_CURRENCIES';
  readonly kind = 'unprocessable';

  constructor(readonly currencies: readonly string[]) {
    super(`The products are priced in several currencies (${currencies.join(', ')})`, {
      currencies,
    });
  }
}
