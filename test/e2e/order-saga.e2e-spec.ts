import {
  createThrowawayDatabase,
  type ThrowawayDatabase,
} from '../integration/saga/throwaway-database.js';
import { eventually, type OrderBody, Shop } from './orders-shop.js';

interface NotificationBody {
  template: string;
  subject: string;
  body: string;
  status: string;
}

interface PaymentBody {
  orderId: string;
  status: string;
}

/**
 * The order saga across catalog, orders, payments and notifications, in one monolith process with
 * the in-process transport: every step after the HTTP answer is asynchronous, so outcomes are
 * polled for. docs/order-saga.md draws the same paths.
 */
describe('the order saga', () => {
  async function itemsAt<T>(shop: Shop, token: string, path: string): Promise<T[]> {
    const response = await shop.request(token, path);
    if (response.status !== 200) {
      throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    }
    return ((await response.json()) as { items: T[] }).items;
  }

  const notificationsOf = (shop: Shop, token: string) =>
    itemsAt<NotificationBody>(shop, token, '/v1/notifications');

  const paymentsOf = (shop: Shop, token: string, orderId: string) =>
    itemsAt<PaymentBody>(shop, token, `/v1/payments?orderId=${orderId}`);

  async function placeOrder(shop: Shop, token: string, productId: string, quantity: number) {
    const response = await shop.placeOrder(token, [{ productId, quantity }]);
    expect(response.status).toBe(201);
    return (await response.json()) as OrderBody;
  }

  describe('with a payment provider that accepts charges', () => {
    let shop: Shop;

    beforeAll(async () => {
      shop = await Shop.open();
    });

    afterAll(async () => {
      await shop?.close();
    });

    it('takes an order from browsing to paid, and tells the customer', async () => {
      const customer = await shop.registerCustomer();
      const product = await shop.createProduct(5, 1_999);

      const browsed = await shop.request(undefined, `/v1/products/${product.id}`);
      expect(browsed.status).toBe(200);
      const placed = await placeOrder(shop, customer.token, product.id, 2);
      expect(placed.status).toBe('pending_payment');

      const paid = await shop.orderEventually(
        customer.token,
        placed.id,
        (order) => order.status === 'paid',
        'the order to be paid',
      );
      expect(paid.paymentId).toEqual(expect.any(String));
      expect(await shop.stockOf(product.id)).toBe(3);

      const notifications = await eventually(
        () => notificationsOf(shop, customer.token),
        (items) => items.some((item) => item.template === 'order-paid'),
        { what: 'the order-paid notification', app: shop.app },
      );
      expect(notifications.map((item) => item.template)).toContain('order-placed');
    });

    it('refunds a paid order when it is cancelled, and puts its stock back', async () => {
      const customer = await shop.registerCustomer();
      const product = await shop.createProduct(4);
      const placed = await placeOrder(shop, customer.token, product.id, 3);
      await shop.orderEventually(
        customer.token,
        placed.id,
        (order) => order.status === 'paid',
        'the order to be paid',
      );
      expect(await shop.stockOf(product.id)).toBe(1);

      const cancel = await shop.request(customer.token, `/v1/orders/${placed.id}/cancel`, {
        method: 'POST',
      });
      expect(cancel.status).toBe(200);
      expect(((await cancel.json()) as OrderBody).status).toBe('cancelled');

      await eventually(
        () => paymentsOf(shop, customer.token, placed.id),
        (payments) => payments.some((payment) => payment.status === 'refunded'),
        { what: 'the payment to be refunded', app: shop.app },
      );
      await shop.stockEventually(product.id, 4);
      await eventually(
        () => notificationsOf(shop, customer.token),
        (items) => items.some((item) => item.template === 'payment-refunded'),
        { what: 'the payment-refunded notification', app: shop.app },
      );
    });

    it('puts the stock back and refunds when an admin cancels a paid order', async () => {
      const customer = await shop.registerCustomer();
      const product = await shop.createProduct(3);
      const placed = await placeOrder(shop, customer.token, product.id, 2);
      await shop.orderEventually(
        customer.token,
        placed.id,
        (order) => order.status === 'paid',
        'the order to be paid',
      );

      const cancel = await shop.request(shop.adminToken, `/v1/orders/${placed.id}/cancel`, {
        method: 'POST',
      });
      expect(cancel.status).toBe(200);
      expect((await cancel.json()) as OrderBody).toMatchObject({
        status: 'cancelled',
        cancellationReason: 'cancelled_by_admin',
      });

      await shop.stockEventually(product.id, 3);
      await eventually(
        () => paymentsOf(shop, customer.token, placed.id),
        (payments) => payments.some((payment) => payment.status === 'refunded'),
        { what: 'the payment to be refunded', app: shop.app },
      );
      const notifications = await eventually(
        () => notificationsOf(shop, customer.token),
        (items) => items.some((item) => item.template === 'order-cancelled'),
        { what: 'the order-cancelled notification', app: shop.app },
      );
      expect(notifications.find((item) => item.template === 'order-cancelled')?.body).toContain(
        'by our customer service team',
      );
    });
  });

  describe('with a payment provider that declines every charge', () => {
    let shop: Shop;
    let database: ThrowawayDatabase;

    // A database of its own: a payments worker charges any due payment of its database, so on the
    // shared one this provider declined other suites' payments (and their workers charged ours).
    beforeAll(async () => {
      database = await createThrowawayDatabase('order_saga_declines');
      shop = await Shop.open({ DATABASE_URL: database.url, PAYMENT_PROVIDER_DECLINE_RATE: '1' });
    });

    afterAll(async () => {
      await shop?.close();
      await database?.drop();
    });

    it('cancels the order, gives its stock back and tells the customer once, with the reason', async () => {
      const customer = await shop.registerCustomer();
      const product = await shop.createProduct(6);
      const placed = await placeOrder(shop, customer.token, product.id, 4);
      expect(await shop.stockOf(product.id)).toBe(2);

      const cancelled = await shop.orderEventually(
        customer.token,
        placed.id,
        (order) => order.status === 'cancelled',
        'the order to be cancelled',
      );
      expect(cancelled).toMatchObject({ cancellationReason: 'payment_failed', paymentId: null });
      await shop.stockEventually(product.id, 6);

      const payments = await paymentsOf(shop, customer.token, placed.id);
      expect(payments.map((payment) => payment.status)).toEqual(['failed']);
      const notifications = await eventually(
        () => notificationsOf(shop, customer.token),
        (items) => items.some((item) => item.template === 'order-cancelled'),
        { what: 'the order-cancelled notification', app: shop.app },
      );
      // One message about the declined payment: the cancellation says why, none says it twice.
      expect(notifications.map((item) => item.template).sort()).toEqual([
        'order-cancelled',
        'order-placed',
      ]);
      expect(notifications.find((item) => item.template === 'order-cancelled')?.body).toMatch(
        /because the payment did not go through: .+\./,
      );
    });
  });
});
