import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  Equals,
  IsArray,
  IsUUID,
  ValidateNested,
} from 'class-validator';
import { MAX_LINES, StockLine } from './stock-line.js';

/**
 * `catalog.v1.stock.reserve`: takes every line off stock for the order, or none of them. Idempotent
 * per order: repeating the same request answers `{ reserved: true }` again and takes nothing more.
 */
export class ReserveStockRequest {
  @IsUUID()
  orderId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => StockLine)
  items!: StockLine[];
}

export class ReserveStockReply {
  @Equals(true) readonly reserved!: true;
}
