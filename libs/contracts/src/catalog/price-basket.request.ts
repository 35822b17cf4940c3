import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsString,
  IsUUID,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsCurrencyCodeOrNull } from '../messaging/is-currency-code-or-null.js';
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

/**
 * A priced line. Amounts are integers in minor units of the reply's currency (cents for EUR).
 * Replies are classes too, so that the published schema (docs/contracts/asyncapi.yaml) is
 * derived from their decorators like the requests'.
 */
export class PricedBasketLine {
  @IsUUID() readonly productId!: string;
  @IsString() readonly sku!: string;
  @IsString() readonly name!: string;
  @IsInt() @Min(0) readonly unitPrice!: number;
  @IsInt() @Min(1) readonly quantity!: number;
  @IsInt() @Min(0) readonly lineTotal!: number;
}

/**
 * The basket at today's prices. Lines cover the products that are on sale, in the order of the
 * request; the others are listed by id. `currency` is null (and `total` 0) when no line is priced.
 */
export class PriceBasketReply {
  @IsCurrencyCodeOrNull() readonly currency!: string | null;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PricedBasketLine)
  readonly lines!: readonly PricedBasketLine[];

  @IsInt() @Min(0) readonly total!: number;
  @IsArray() @IsUUID('all', { each: true }) readonly unknownProductIds!: readonly string[];
  @IsArray() @IsUUID('all', { each: true }) readonly inactiveProductIds!: readonly string[];
}
