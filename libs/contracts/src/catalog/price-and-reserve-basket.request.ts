import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsInt,
  IsISO4217CurrencyCode,
  IsUUID,
  Min,
  ValidateNested,
} from 'class-validator';
import { PricedBasketLine } from './price-basket.request.js';
import { ReserveStockRequest } from './reserve-stock.request.js';

/**
 * `catalog.v1.basket.price-and-reserve`: prices the basket and takes every line off stock for the
 * order, in one transaction, or does neither. Idempotent per order: repeating the same request
 * takes nothing more and answers the held basket at the products' current prices (on sale or not:
 * the sale was agreed when the stock was taken).
 *
 * A CATALOG.INSUFFICIENT_STOCK or CATALOG.PRODUCTS_UNAVAILABLE reply means the order holds no
 * stock. After any other error (or no reply) the caller releases the order to be sure.
 */
// The same fields as a reserve, validated the same way; a v1 shape never changes, so sharing it is safe.
export class PriceAndReserveBasketRequest extends ReserveStockRequest {}

/**
 * The reserved basket, one line per product in the order of the request (the same product twice
 * is one line with the quantities added). Amounts are integers in minor units of `currency`.
 */
export class PriceAndReserveBasketReply {
  @IsUUID() readonly orderId!: string;
  @IsISO4217CurrencyCode() readonly currency!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => PricedBasketLine)
  readonly lines!: readonly PricedBasketLine[];

  @IsInt() @Min(0) readonly total!: number;
}
