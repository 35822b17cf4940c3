export { CATALOG_ERROR_CODES, type CatalogErrorCode } from './catalog-error-codes.js';
export { CATALOG_PATTERNS, type CatalogPattern } from './catalog-patterns.js';
export {
  type PriceAndReserveBasketReply,
  PriceAndReserveBasketRequest,
} from './price-and-reserve-basket.request.js';
export {
  type PriceBasketReply,
  PriceBasketRequest,
  type PricedBasketLine,
} from './price-basket.request.js';
export { type ReleaseStockReply, ReleaseStockRequest } from './release-stock.request.js';
export { type ReserveStockReply, ReserveStockRequest } from './reserve-stock.request.js';
export { MAX_LINE_QUANTITY, MAX_LINES, StockLine } from './stock-line.js';
