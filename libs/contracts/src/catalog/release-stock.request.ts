import { IsBoolean, IsUUID } from 'class-validator';

/**
 * `catalog.v1.stock.release`: puts the order's reserved stock back, once, however often it is
 * sent. Releasing an order that holds no reservation blocks any later reserve for it, so a
 * reserve that arrives after its own compensation cannot take stock for good.
 */
export class ReleaseStockRequest {
  @IsUUID()
  orderId!: string;
}

/** `released` is true when the order's reservation is released (by this request or an earlier one). */
export class ReleaseStockReply {
  @IsBoolean() readonly released!: boolean;
}
