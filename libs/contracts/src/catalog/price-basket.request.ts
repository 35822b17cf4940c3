import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { MAX_LINES, StockLine } from './stock-line.js';

/** `catalog.v1.basket.price`. The same product twice counts as one line with the quantities added. */
export class PriceBasketRequest {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => StockLine)
  items!: StockLine[];
}

/** A priced line. Amounts are integers in minor units of the reply's currency (cents for EUR). */
export interface PricedBasketLine {
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly unitPrice: number;
  readonly quantity: number;
  readonly lineTotal: number;
}

/**
 * The basket at today's prices. Lines cover the products that are on sale, in the order of the
 * request; the others are listed by id. `currency` is null (and `total` 0) when no line is priced.
 */
export interface PriceBasketReply {
  readonly currency: string | null;
  readonly lines: readonly PricedBasketLine[];
  readonly total: number;
  readonly unknownProductIds: readonly string[];
  readonly inactiveProductIds: readonly string[];
}
