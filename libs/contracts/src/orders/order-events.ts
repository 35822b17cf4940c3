import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO4217CurrencyCode,
  IsOptional,
  IsString,
  IsUUID,
  Min,
  ValidateNested,
} from 'class-validator';

/** Event names the orders context publishes (wire names carry the major version). */
export const ORDER_EVENTS = {
  placed: 'orders.v1.order-placed',
  paid: 'orders.v1.order-paid',
  cancelled: 'orders.v1.order-cancelled',
  shipped: 'orders.v1.order-shipped',
} as const;

export class OrderLineSnapshot {
  @IsUUID() productId!: string;
  @IsString() sku!: string;
  @IsString() name!: string;
  @IsInt() @Min(1) quantity!: number;
  /** Minor units, priced by catalog when the order was placed. */
  @IsInt() @Min(0) unitPrice!: number;
}

/** A customer placed an order: stock is reserved and payment is due. */
export class OrderPlacedPayload {
  @IsUUID() orderId!: string;
  @IsUUID() customerId!: string;
  @IsISO4217CurrencyCode() currency!: string;
  /** Minor units. */
  @IsInt() @Min(0) total!: number;
  @ValidateNested({ each: true })
  @Type(() => OrderLineSnapshot)
  @ArrayMinSize(1)
  lines!: OrderLineSnapshot[];
}

/** Payment for the order succeeded; the order is now `paid`. */
export class OrderPaidPayload {
  @IsUUID() orderId!: string;
  @IsUUID() customerId!: string;
  @IsUUID() paymentId!: string;
}

/**
 * Why an order was cancelled. `out_of_stock` and `products_unavailable` end an order that was
 * accepted while the catalog could not be reached (`awaiting_stock`) and then refused by it;
 * both added within v1 (a new value in an event, ADR 0033).
 */
export const ORDER_CANCELLATION_REASONS = [
  'payment_failed',
  'cancelled_by_customer',
  'cancelled_by_admin',
  'out_of_stock',
  'products_unavailable',
] as const;
export type OrderCancellationReason = (typeof ORDER_CANCELLATION_REASONS)[number];

/**
 * The order was cancelled: catalog releases its stock, and when `wasPaid` payments refunds
 * `paymentId`. It is the one message a customer gets about the cancellation, whatever its cause.
 */
export class OrderCancelledPayload {
  @IsUUID() orderId!: string;
  @IsUUID() customerId!: string;
  @IsIn(ORDER_CANCELLATION_REASONS) reason!: OrderCancellationReason;
  @IsBoolean() wasPaid!: boolean;
  @IsOptional() @IsUUID() paymentId?: string;
  /**
   * With reason `payment_failed`: why the charge failed, in words for the customer, as payments
   * reported it (`payments.v1.payment-failed` `reason`). Optional: added within v1.
   */
  @IsOptional() @IsString() paymentFailure?: string;
  /**
   * True when the order was cancelled before and is announced again only because a payment arrived
   * after the cancellation and must be refunded: the customer was told at the first announcement.
   * Optional: added within v1.
   */
  @IsOptional() @IsBoolean() refundsLatePayment?: boolean;
}

/** The order left the warehouse. */
export class OrderShippedPayload {
  @IsUUID() orderId!: string;
  @IsUUID() customerId!: string;
}
