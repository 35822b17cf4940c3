/**
 * Requests the catalog answers for other contexts. The `v1` is the major version of the request
 * and reply shapes: a breaking change gets a new name, served beside the old one until no caller
 * uses it.
 */
export const CATALOG_PATTERNS = {
  /** PriceBasketRequest → PriceBasketReply. */
  PRICE_BASKET: 'catalog.v1.basket.price',
  /**
   * PriceAndReserveBasketRequest → PriceAndReserveBasketReply, or CATALOG.INSUFFICIENT_STOCK /
   * CATALOG.PRODUCTS_UNAVAILABLE / CATALOG.MIXED_CURRENCIES / ... Placing an order needs only this.
   */
  PRICE_AND_RESERVE_BASKET: 'catalog.v1.basket.price-and-reserve',
  /** ReserveStockRequest → ReserveStockReply, or CATALOG.INSUFFICIENT_STOCK / ... */
  RESERVE_STOCK: 'catalog.v1.stock.reserve',
  /** ReleaseStockRequest → ReleaseStockReply. */
  RELEASE_STOCK: 'catalog.v1.stock.release',
} as const;

export type CatalogPattern = (typeof CATALOG_PATTERNS)[keyof typeof CATALOG_PATTERNS];
