import { IsInt, IsUUID, Max, Min } from 'class-validator';

/** Most units of one product in one request; a larger order goes through sales, not the shop. */
export const MAX_LINE_QUANTITY = 10_000;
/** Most lines in one request. */
export const MAX_LINES = 100;

/** A quantity of one product: a basket line, or a line of a reservation. */
export class StockLine {
  @IsUUID()
  productId!: string;

  @IsInt()
  @Min(1)
  @Max(MAX_LINE_QUANTITY)
  quantity!: number;
}
