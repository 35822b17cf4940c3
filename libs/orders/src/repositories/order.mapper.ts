import { ORDER_CANCELLATION_REASONS, type OrderCancellationReason } from '#lib/contracts';
import { Order } from '../domain/order.js';
import { ORDER_STATUSES, type OrderStatus } from '../domain/order-status.js';
import { OrderLineRecord } from './order-line.record.js';
import { OrderRecord } from './order.record.js';

// The table's CHECK constraints admit known values only; these guards narrow the types.
const isStatus = (value: string): value is OrderStatus =>
  (ORDER_STATUSES as readonly string[]).includes(value);
const isReason = (value: string): value is OrderCancellationReason =>
  (ORDER_CANCELLATION_REASONS as readonly string[]).includes(value);

export const OrderMapper = {
  toDomain(record: OrderRecord, lines: readonly OrderLineRecord[]): Order {
    if (!isStatus(record.status)) {
      throw new Error(`order ${record.id} has unknown status "${record.status}"`);
    }
    const reason = record.cancellationReason;
    const orderLines = [...lines]
      .sort((a, b) => a.position - b.position)
      .map((line) => ({
        productId: line.productId,
        sku: line.sku,
        name: line.name,
        unitPrice: line.unitPrice,
        quantity: line.quantity,
      }));
    return Order.restore({
      id: record.id,
      customerId: record.customerId,
      lines: orderLines,
      // Orders saved before requested items were kept were priced at once: their lines say it.
      requestedItems: (
        record.requestedItems ??
        orderLines.map(({ productId, quantity }) => ({ productId, quantity }))
      ).map(({ productId, quantity }) => ({ productId, quantity })),
      currency: record.currency,
      total: record.total,
      status: record.status,
      paymentId: record.paymentId,
      cancellationReason: reason !== null && isReason(reason) ? reason : null,
      version: record.version,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    });
  },

  toRecord(order: Order): OrderRecord {
    const snapshot = order.toSnapshot();
    return Object.assign(new OrderRecord(), {
      id: snapshot.id,
      customerId: snapshot.customerId,
      status: snapshot.status,
      currency: snapshot.currency,
      total: snapshot.total,
      requestedItems: snapshot.requestedItems.map(({ productId, quantity }) => ({
        productId,
        quantity,
      })),
      // Due at once when accepted: the confirmer's first try is its next round.
      nextConfirmationAt: snapshot.status === 'awaiting_stock' ? snapshot.createdAt : null,
      confirmationAttempts: 0,
      paymentId: snapshot.paymentId,
      cancellationReason: snapshot.cancellationReason,
      version: snapshot.version,
      createdAt: snapshot.createdAt,
      updatedAt: snapshot.updatedAt,
    });
  },

  toLineRecords(order: Order): OrderLineRecord[] {
    return order.lines.map((line, position) =>
      Object.assign(new OrderLineRecord(), { ...line, orderId: order.id, position }),
    );
  },
};
