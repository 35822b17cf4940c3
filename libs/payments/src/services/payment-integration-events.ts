import {
  type MessageEnvelope,
  PAYMENT_EVENTS,
  type PaymentFailedPayload,
  type PaymentRefundedPayload,
  type PaymentSucceededPayload,
} from '#lib/contracts';
import { createEnvelope } from '#lib/messaging';
import type { PaymentEvent } from '../domain/payment.events.js';

/**
 * The published form of a payment's domain events: versioned names and payloads from
 * #lib/contracts, correlated with the user action that placed the order (workers have no request
 * of their own to take it from).
 */
export function toIntegrationEvent(event: PaymentEvent, correlationId: string): MessageEnvelope {
  switch (event.kind) {
    case 'succeeded': {
      const payload: PaymentSucceededPayload = {
        paymentId: event.paymentId,
        orderId: event.orderId,
        customerId: event.customerId,
        amount: event.amount,
        currency: event.currency,
      };
      return createEnvelope(PAYMENT_EVENTS.succeeded, payload, { correlationId });
    }
    case 'failed': {
      const payload: PaymentFailedPayload = {
        orderId: event.orderId,
        customerId: event.customerId,
        code: event.code,
        reason: event.reason,
      };
      return createEnvelope(PAYMENT_EVENTS.failed, payload, { correlationId });
    }
    case 'refunded': {
      const payload: PaymentRefundedPayload = {
        paymentId: event.paymentId,
        orderId: event.orderId,
        customerId: event.customerId,
        amount: event.amount,
        currency: event.currency,
      };
      return createEnvelope(PAYMENT_EVENTS.refunded, payload, { correlationId });
    }
  }
}
