import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from '../support/test-environment.js';
import { eventually, type OrderBody, Shop } from './orders-shop.js';

interface NotificationBody {
  id: string;
  template: string;
  subject: string;
  body: string;
  status: string;
  attempts: number;
  createdAt: string;
  sentAt: string | null;
}

interface NotificationPage {
  items: NotificationBody[];
  nextCursor: string | null;
}

/**
 * Notifications in the running monolith: a real order's events become notifications, delivered by
 * Bull jobs on Redis through the default (recording) mailer, and listed to their customer only.
 */
describe('notifications', () => {
  // Names the app's queue keys (bull:<SERVICE_NAME>:notifications:*), which the suite removes.
  const serviceName = `notifications-e2e-${randomUUID().slice(0, 8)}`;
  let shop: Shop;

  beforeAll(async () => {
    shop = await Shop.open({ SERVICE_NAME: serviceName });
  });

  afterAll(async () => {
    await shop?.close();
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const keys = await redis.keys(`bull:${serviceName}:*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  });

  async function notificationPage(token: string, query = ''): Promise<NotificationPage> {
    const response = await shop.request(token, `/v1/notifications${query}`);
    if (response.status !== 200) {
      throw new Error(
        `GET /v1/notifications answered ${response.status}: ${await response.text()}`,
      );
    }
    return (await response.json()) as NotificationPage;
  }

  it('tells a customer that their order was placed and paid, and shows it to nobody else', async () => {
    const customer = await shop.registerCustomer('notified');
    const stranger = await shop.registerCustomer('stranger');
    const product = await shop.createProduct(3, 1_999);

    const response = await shop.placeOrder(customer.token, [
      { productId: product.id, quantity: 2 },
    ]);
    expect(response.status).toBe(201);
    const order = (await response.json()) as OrderBody;

    const { items } = await eventually(
      () => notificationPage(customer.token),
      (page) =>
        ['order-placed', 'order-paid'].every((template) =>
          page.items.some((item) => item.template === template && item.status === 'sent'),
        ),
      { what: 'the order-placed and order-paid notifications to be sent', app: shop.app },
    );
    const reference = order.id.slice(0, 8).toUpperCase();
    const placed = items.find((item) => item.template === 'order-placed');
    expect(placed).toMatchObject({
      subject: `We received your order ${reference}`,
      status: 'sent',
      attempts: 1,
      sentAt: expect.any(String),
    });
    expect(placed?.body).toContain('Total: €39.98');
    expect(items.find((item) => item.template === 'order-paid')?.subject).toBe(
      `Payment received for order ${reference}`,
    );
    // Newest first.
    const times = items.map((item) => Date.parse(item.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    expect(await notificationPage(stranger.token)).toEqual({ items: [], nextCursor: null });
  });

  it('pages through a customer’s notifications with a cursor', async () => {
    const customer = await shop.registerCustomer('pager');
    const product = await shop.createProduct(3);
    expect(
      (await shop.placeOrder(customer.token, [{ productId: product.id, quantity: 1 }])).status,
    ).toBe(201);
    const all = await eventually(
      () => notificationPage(customer.token),
      (page) => page.items.length >= 2,
      { what: 'two notifications', app: shop.app },
    );

    const first = await notificationPage(customer.token, '?limit=1');
    const second = await notificationPage(
      customer.token,
      `?limit=1&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
    );

    expect(first.nextCursor).toEqual(expect.any(String));
    expect([...first.items, ...second.items].map((item) => item.id)).toEqual(
      all.items.slice(0, 2).map((item) => item.id),
    );
    const invalid = await shop.request(customer.token, '/v1/notifications?cursor=not-a-cursor');
    expect(invalid.status).toBe(400);
  });

  it('lists notifications to authenticated callers only', async () => {
    const response = await shop.request(undefined, '/v1/notifications');

    expect(response.status).toBe(401);
  });

  it('shows dead delivery jobs to admins and to nobody else', async () => {
    const customer = await shop.registerCustomer('curious');

    const asAdmin = await shop.request(shop.adminToken, '/v1/notifications/failed-jobs');
    const asCustomer = await shop.request(customer.token, '/v1/notifications/failed-jobs');

    expect(asAdmin.status).toBe(200);
    expect(await asAdmin.json()).toEqual({ total: 0, items: [] });
    expect(asCustomer.status).toBe(403);
  });

  it('exports the delivery queue’s job counts on /metrics', async () => {
    const metrics = await (await fetch(`${shop.app.urlOf('notifications')}/metrics`)).text();

    for (const state of ['waiting', 'active', 'delayed', 'failed']) {
      expect(metrics).toMatch(new RegExp(`^notification_queue_jobs\\{state="${state}"\\} 0$`, 'm'));
    }
    // The jobs of the orders above, completed and kept (up to the configured count).
    const completed = /^notification_queue_jobs\{state="completed"\} (\d+)$/m.exec(metrics);
    expect(Number(completed?.[1])).toBeGreaterThanOrEqual(4);
  });

  it('closes its queue on SIGTERM and exits cleanly', async () => {
    expect(await shop.close()).toBe(0);
  });
});
