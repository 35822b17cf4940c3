import type {
  OrderCancellationReason,
  OrderCancelledPayload,
  OrderPaidPayload,
  OrderPlacedPayload,
  OrderShippedPayload,
  PaymentRefundedPayload,
} from '#lib/contracts';
import { formatMoney } from './format-money.js';
import type { RenderedMessage } from './notification.js';

/** Turns one kind of event into the message its customer receives. */
export interface NotificationTemplate<TPayload extends { readonly customerId: string }> {
  /** Stable name, stored with each notification (`order-placed`). */
  readonly name: string;
  render(payload: TPayload): RenderedMessage;
}

/** Customers quote the short form; the body always carries the full id as well. */
const reference = (orderId: string): string => orderId.slice(0, 8).toUpperCase();

const CANCELLATION_CAUSES: Record<OrderCancellationReason, string> = {
  payment_failed: 'because the payment did not go through',
  cancelled_by_customer: 'as you asked',
  cancelled_by_admin: 'by our customer service team',
  out_of_stock: 'because some of its products were out of stock',
  products_unavailable: 'because some of its products are not available',
};

export const ORDER_PLACED_TEMPLATE: NotificationTemplate<OrderPlacedPayload> = {
  name: 'order-placed',
  render: ({ orderId, lines, total, currency }) => ({
    subject: `We received your order ${reference(orderId)}`,
    body: [
      `Thank you for your order ${orderId}.`,
      '',
      ...lines.map(
        (line) =>
          `${line.quantity} × ${line.name} (${line.sku}): ${formatMoney(line.unitPrice * line.quantity, currency)}`,
      ),
      `Total: ${formatMoney(total, currency)}`,
      '',
      'We will let you know as soon as your payment is confirmed.',
    ].join('\n'),
  }),
};

export const ORDER_PAID_TEMPLATE: NotificationTemplate<OrderPaidPayload> = {
  name: 'order-paid',
  render: ({ orderId }) => ({
    subject: `Payment received for order ${reference(orderId)}`,
    body: `We received the payment for your order ${orderId} and are preparing it for shipping.`,
  }),
};

/**
 * The one message about a cancellation, whatever caused it. A declined payment is told here too
 * (with the failure payments reported), not on `payments.v1.payment-failed`: that event is always
 * followed by this one, and a customer should not get two messages about one failure.
 */
export const ORDER_CANCELLED_TEMPLATE: NotificationTemplate<OrderCancelledPayload> = {
  name: 'order-cancelled',
  render: ({ orderId, reason, wasPaid, paymentFailure }) => ({
    subject: `Your order ${reference(orderId)} was cancelled`,
    body: [
      `Your order ${orderId} was cancelled ${CANCELLATION_CAUSES[reason]}${
        reason === 'payment_failed' && paymentFailure ? `: ${paymentFailure}` : ''
      }.`,
      wasPaid
        ? 'Your payment will be refunded; we will write again once the refund is made.'
        : 'You have not been charged.',
      ...(reason === 'payment_failed' ? ['You are welcome to place the order again.'] : []),
    ].join('\n'),
  }),
};

export const ORDER_SHIPPED_TEMPLATE: NotificationTemplate<OrderShippedPayload> = {
  name: 'order-shipped',
  render: ({ orderId }) => ({
    subject: `Your order ${reference(orderId)} is on its way`,
    body: `Your order ${orderId} has left our warehouse.`,
  }),
};

export const PAYMENT_REFUNDED_TEMPLATE: NotificationTemplate<PaymentRefundedPayload> = {
  name: 'payment-refunded',
  render: ({ orderId, amount, currency }) => ({
    subject: `Refund of ${formatMoney(amount, currency)} for order ${reference(orderId)}`,
    body: `We refunded ${formatMoney(amount, currency)} for your order ${orderId}. Depending on your bank it may take a few days to appear.`,
  }),
};
