import type { OrderCancellationReason } from '#lib/contracts';
import type { Order } from '../domain/order.js';
import { lineTotal } from '../domain/order-line.js';
import type { OrderStatus } from '../domain/order-status.js';

export interface RequestedItemView {
  readonly productId: string;
  readonly quantity: number;
}

export interface OrderLineView {
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly unitPrice: number;
  readonly quantity: number;
  readonly lineTotal: number;
}

/**
 * An order as clients see it, in plain JSON (dates as ISO strings). It is also what an idempotency
 * key stores as its response body, so a replay returns the very body the first request got.
 *
 * An order `awaiting_stock` is not priced yet: /v1 promises `currency` and `total` are always sent
 * and never null, so until then they are `""` and 0, with no lines (ADR 0044); `requestedItems`
 * says what was asked for.
 */
export interface OrderView {
  readonly id: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly currency: string;
  readonly total: number;
  readonly lines: readonly OrderLineView[];
  /** Absent from responses stored before it existed (an idempotent replay of an older order). */
  readonly requestedItems?: readonly RequestedItemView[];
  readonly paymentId: string | null;
  readonly cancellationReason: OrderCancellationReason | null;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function toOrderView(order: Order): OrderView {
  return {
    id: order.id,
    customerId: order.customerId,
    status: order.status,
    currency: order.currency ?? '',
    total: order.total ?? 0,
    lines: order.lines.map((line) => ({
      productId: line.productId,
      sku: line.sku,
      name: line.name,
      unitPrice: line.unitPrice,
      quantity: line.quantity,
      lineTotal: lineTotal(line),
    })),
    requestedItems: order.requestedItems.map(({ productId, quantity }) => ({
      productId,
      quantity,
    })),
    paymentId: order.paymentId,
    cancellationReason: order.cancellationReason,
    version: order.version,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
