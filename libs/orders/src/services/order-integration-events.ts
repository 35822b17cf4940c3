import {
  type MessageEnvelope,
  ORDER_EVENTS,
  type OrderCancelledPayload,
  type OrderPaidPayload,
  type OrderPlacedPayload,
  type OrderShippedPayload,
} from '#lib/contracts';
import { createEnvelope } from '#lib/messaging';
import type { OrderDomainEvent } from '../domain/order-domain-events.js';

/**
 * The versioned contract event (`orders.v1.*`) that announces a domain event to other contexts.
 * Payloads copy fields explicitly: the contract changes only when this file does.
 */
export function toIntegrationEvent(event: OrderDomainEvent): MessageEnvelope {
  const options = { occurredAt: event.occurredAt };
  switch (event.type) {
    case 'OrderPlaced':
      return createEnvelope<OrderPlacedPayload>(
        ORDER_EVENTS.placed,
        {
          orderId: event.orderId,
          customerId: event.customerId,
          currency: event.currency,
          total: event.total,
          lines: event.lines.map((line) => ({
            productId: line.productId,
            sku: line.sku,
            name: line.name,
            quantity: line.quantity,
            unitPrice: line.unitPrice,
          })),
        },
        options,
      );
    case 'OrderPaid':
      return createEnvelope<OrderPaidPayload>(
        ORDER_EVENTS.paid,
        { orderId: event.orderId, customerId: event.customerId, paymentId: event.paymentId },
        options,
      );
    case 'OrderCancelled':
      return createEnvelope<OrderCancelledPayload>(
        ORDER_EVENTS.cancelled,
        {
          orderId: event.orderId,
          customerId: event.customerId,
          reason: event.reason,
          wasPaid: event.wasPaid,
          ...(event.paymentId !== undefined && { paymentId: event.paymentId }),
          ...(event.paymentFailure !== undefined && { paymentFailure: event.paymentFailure }),
          ...(event.refundsLatePayment && { refundsLatePayment: true }),
        },
        options,
      );
    case 'OrderShipped':
      return createEnvelope<OrderShippedPayload>(
        ORDER_EVENTS.shipped,
        { orderId: event.orderId, customerId: event.customerId },
        options,
      );
  }
}
