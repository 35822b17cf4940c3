export { CATALOG_ERROR_CODES, type CatalogErrorCode } from './catalog-error-codes.js';
export { CATALOG_PATTERNS, type CatalogPattern } from './catalog-patterns.js';
export {
  PriceAndReserveBasketReply,
  PriceAndReserveBasketRequest,
} from './price-and-reserve-basket.request.js';
export { PriceBasketReply, PriceBasketRequest, PricedBasketLine } from './price-basket.request.js';
export { ReleaseStockReply, ReleaseStockRequest } from './release-stock.request.js';
export { ReserveStockReply, ReserveStockRequest } from './reserve-stock.request.js';
export { MAX_LINE_QUANTITY, MAX_LINES, StockLine } from './stock-line.js';
