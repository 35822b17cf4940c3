import type { OrderCancellationReason } from '#lib/contracts';
import type { Order } from '../domain/order.js';
import { lineTotal } from '../domain/order-line.js';
import type { OrderStatus } from '../domain/order-status.js';

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
 */
export interface OrderView {
  readonly id: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly currency: string;
  readonly total: number;
  readonly lines: readonly OrderLineView[];
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
    currency: order.currency,
    total: order.total,
    lines: order.lines.map((line) => ({
      productId: line.productId,
      sku: line.sku,
      name: line.name,
      unitPrice: line.unitPrice,
      quantity: line.quantity,
      lineTotal: lineTotal(line),
    })),
    paymentId: order.paymentId,
    cancellationReason: order.cancellationReason,
    version: order.version,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
