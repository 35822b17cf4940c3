import type {
  OrderCancelledPayload,
  OrderPlacedPayload,
  PaymentRefundedPayload,
} from '#lib/contracts';
import {
  ORDER_CANCELLED_TEMPLATE,
  ORDER_PAID_TEMPLATE,
  ORDER_PLACED_TEMPLATE,
  ORDER_SHIPPED_TEMPLATE,
  PAYMENT_REFUNDED_TEMPLATE,
} from './notification-templates.js';

const orderId = '3f2a91c0-5b7e-4c1d-9a2b-6e8f0d1c2b3a';
const customerId = '0b6e1c52-8f0e-4d7c-9a51-3f0b8f3c2a10';
const paymentId = '7d1c2b3a-6e8f-4c1d-9a2b-3f2a91c05b7e';

describe('notification templates', () => {
  it('lists the lines and the total of a placed order, in the order currency', () => {
    const payload: OrderPlacedPayload = {
      orderId,
      customerId,
      currency: 'EUR',
      total: 4497,
      lines: [
        { productId: paymentId, sku: 'MUG-1', name: 'Mug', quantity: 2, unitPrice: 999 },
        { productId: customerId, sku: 'TEE-M', name: 'T-shirt', quantity: 1, unitPrice: 2499 },
      ],
    };

    const message = ORDER_PLACED_TEMPLATE.render(payload);

    expect(message.subject).toBe('We received your order 3F2A91C0');
    expect(message.body).toContain(`Thank you for your order ${orderId}.`);
    expect(message.body).toContain('2 × Mug (MUG-1): €19.98');
    expect(message.body).toContain('1 × T-shirt (TEE-M): €24.99');
    expect(message.body).toContain('Total: €44.97');
  });

  it('confirms the payment of an order', () => {
    const message = ORDER_PAID_TEMPLATE.render({ orderId, customerId, paymentId });

    expect(message.subject).toBe('Payment received for order 3F2A91C0');
    expect(message.body).toBe(
      `We received the payment for your order ${orderId} and are preparing it for shipping.`,
    );
  });

  it('announces that an order was shipped', () => {
    const message = ORDER_SHIPPED_TEMPLATE.render({ orderId, customerId });

    expect(message.subject).toBe('Your order 3F2A91C0 is on its way');
    expect(message.body).toBe(`Your order ${orderId} has left our warehouse.`);
  });

  it.each<{ payload: OrderCancelledPayload; cause: string; money: string }>([
    {
      payload: { orderId, customerId, reason: 'payment_failed', wasPaid: false },
      cause: 'because the payment did not go through',
      money: 'You have not been charged.',
    },
    {
      payload: { orderId, customerId, reason: 'cancelled_by_customer', wasPaid: true, paymentId },
      cause: 'as you asked',
      money: 'Your payment will be refunded',
    },
    {
      payload: { orderId, customerId, reason: 'cancelled_by_admin', wasPaid: false },
      cause: 'by our customer service team',
      money: 'You have not been charged.',
    },
    {
      payload: { orderId, customerId, reason: 'out_of_stock', wasPaid: false },
      cause: 'because some of its products were out of stock',
      money: 'You have not been charged.',
    },
    {
      payload: { orderId, customerId, reason: 'products_unavailable', wasPaid: false },
      cause: 'because some of its products are not available',
      money: 'You have not been charged.',
    },
  ])(
    'explains a cancellation $payload.reason and whether money comes back',
    ({ payload, cause, money }) => {
      const message = ORDER_CANCELLED_TEMPLATE.render(payload);

      expect(message.subject).toBe('Your order 3F2A91C0 was cancelled');
      expect(message.body).toContain(`Your order ${orderId} was cancelled ${cause}.`);
      expect(message.body).toContain(money);
    },
  );

  it('tells why a payment failed in the one message about the cancellation, and invites a new order', () => {
    const message = ORDER_CANCELLED_TEMPLATE.render({
      orderId,
      customerId,
      reason: 'payment_failed',
      wasPaid: false,
      paymentFailure: 'the card was declined',
    });

    expect(message.subject).toBe('Your order 3F2A91C0 was cancelled');
    expect(message.body).toBe(
      [
        `Your order ${orderId} was cancelled because the payment did not go through: the card was declined.`,
        'You have not been charged.',
        'You are welcome to place the order again.',
      ].join('\n'),
    );
  });

  it('states the refunded amount in the payment currency', () => {
    const payload: PaymentRefundedPayload = {
      paymentId,
      orderId,
      customerId,
      amount: 1500,
      currency: 'JPY',
    };

    const message = PAYMENT_REFUNDED_TEMPLATE.render(payload);

    expect(message.subject).toBe('Refund of JP¥1,500 for order 3F2A91C0');
    expect(message.body).toContain(`We refunded JP¥1,500 for your order ${orderId}.`);
  });

  it('gives every template its own name', () => {
    const names = [
      ORDER_PLACED_TEMPLATE,
      ORDER_PAID_TEMPLATE,
      ORDER_CANCELLED_TEMPLATE,
      ORDER_SHIPPED_TEMPLATE,
      PAYMENT_REFUNDED_TEMPLATE,
    ].map((template) => template.name);

    expect(new Set(names).size).toBe(names.length);
  });
});
