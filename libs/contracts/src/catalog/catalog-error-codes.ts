/**
 * Codes of the catalog's error replies that callers are expected to branch on. The `details` each
 * carries are part of the contract, documented here.
 */
export const CATALOG_ERROR_CODES = {
  /**
   * Some lines cannot be served from stock; nothing was reserved.
   * `details: { productIds: string[], shortages: { productId, requested }[] }`. The units in stock
   * are not told (they reach customers); replies of earlier releases also carried `available`,
   * which callers must ignore.
   */
  INSUFFICIENT_STOCK: 'CATALOG.INSUFFICIENT_STOCK',
  /**
   * Some products do not exist or are no longer sold; nothing was reserved.
   * `details: { unknownProductIds: string[], inactiveProductIds: string[] }`
   */
  PRODUCTS_UNAVAILABLE: 'CATALOG.PRODUCTS_UNAVAILABLE',
  /** The basket's products are priced in more than one currency. `details: { currencies }` */
  MIXED_CURRENCIES: 'CATALOG.MIXED_CURRENCIES',
  /**
   * The order already holds a reservation with other lines: a retry must repeat the first request.
   * `details: { orderId }`
   */
  RESERVATION_MISMATCH: 'CATALOG.RESERVATION_MISMATCH',
  /**
   * The order's reservation was released (or released before it was made): it cannot be reserved
   * again, so a late reserve never outlives its compensation. `details: { orderId }`
   */
  RESERVATION_RELEASED: 'CATALOG.RESERVATION_RELEASED',
  /** No such product, or it is no longer sold (HTTP 404). `details: { productId }` */
  PRODUCT_NOT_FOUND: 'CATALOG.PRODUCT_NOT_FOUND',
} as const;

export type CatalogErrorCode = (typeof CATALOG_ERROR_CODES)[keyof typeof CATALOG_ERROR_CODES];
