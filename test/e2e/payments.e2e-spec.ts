import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { type RunningApp, startApp } from '../support/app-process.js';
import { e2eMode } from '../support/e2e-mode.js';
import { uniqueEmail } from '../support/test-environment.js';
import {
  createThrowawayDatabase,
  type ThrowawayDatabase,
} from '../integration/saga/throwaway-database.js';

const ADMIN_PASSWORD = 'Payments-admin-2026!';
const PASSWORD = 'tangerine-bicycle-42';

interface PaymentBody {
  id: string;
  orderId: string;
  status: string;
  amount: number;
  currency: string;
  failureCode: string | null;
  createdAt: string;
  chargedAt: string | null;
  refundedAt: string | null;
}
interface OrderBody {
  id: string;
  status: string;
  total: number;
  currency: string;
}

/** Fast retries, so that an outage and a breaker cycle fit in a few seconds. */
const FAST_RETRIES = {
  PAYMENT_PROVIDER_MAX_ATTEMPTS: '2',
  PAYMENT_PROVIDER_RETRY_BASE_MS: '10',
  PAYMENT_BREAKER_VOLUME_THRESHOLD: '2',
  PAYMENT_BREAKER_RESET_MS: '600',
  PAYMENT_RETRY_BASE_MS: '100',
  PAYMENT_RETRY_MAX_MS: '400',
};

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`${what} not reached within ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    }
    await sleep(100);
  }
}

/** A shop on a running app: an admin with a product on sale, and customers who order it. */
class Shop {
  adminToken = '';
  productId = '';

  constructor(
    readonly app: RunningApp,
    /** The app's own database, to read the simulated provider's ledger. */
    readonly database: pg.Client,
    private readonly throwaway: ThrowawayDatabase,
  ) {}

  private token = async (username: string, password: string): Promise<Response> =>
    fetch(`${this.app.baseUrl}/v1/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', username, password }),
    });

  call = (token: string, path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${this.app.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
        ...(init.method === 'POST' && path === '/v1/orders' && { 'idempotency-key': randomUUID() }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  async open(adminEmail: string): Promise<void> {
    // The admin is created in the background once the database is ready: wait for it to log in.
    const response = await eventually(
      () => this.token(adminEmail, ADMIN_PASSWORD),
      (candidate) => candidate.status === 200,
      'bootstrap admin login',
    );
    this.adminToken = ((await response.json()) as { access_token: string }).access_token;
    const created = await this.call(this.adminToken, '/v1/products', {
      method: 'POST',
      body: {
        sku: `PAY-${randomUUID().slice(0, 8)}`,
        name: 'Payment test mug',
        price: { amountMinor: 1_250, currency: 'EUR' },
        stock: 1_000,
      },
    });
    expect(created.status).toBe(201);
    this.productId = ((await created.json()) as { id: string }).id;
  }

  async customer(): Promise<string> {
    const email = uniqueEmail('payer');
    const registered = await fetch(`${this.app.baseUrl}/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(registered.status).toBe(201);
    const response = await this.token(email, PASSWORD);
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  async placeOrder(customerToken: string, quantity = 2): Promise<OrderBody> {
    const response = await this.call(customerToken, '/v1/orders', {
      method: 'POST',
      body: { items: [{ productId: this.productId, quantity }] },
    });
    expect(response.status).toBe(201);
    return (await response.json()) as OrderBody;
  }

  async payments(token: string, orderId: string): Promise<PaymentBody[]> {
    const response = await this.call(token, `/v1/payments?orderId=${orderId}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: PaymentBody[] }).items;
  }

  async paymentReaching(token: string, orderId: string, status: string): Promise<PaymentBody> {
    const payment = await eventually<PaymentBody | undefined>(
      async () => (await this.payments(token, orderId))[0],
      (candidate) => candidate?.status === status,
      `payment of order ${orderId} ${status}`,
    );
    if (payment === undefined) throw new Error(`order ${orderId} has no payment`);
    return payment;
  }

  async order(token: string, orderId: string): Promise<OrderBody> {
    return (await (await this.call(token, `/v1/orders/${orderId}`)).json()) as OrderBody;
  }

  orderReaching(token: string, orderId: string, status: string): Promise<OrderBody> {
    return eventually(
      () => this.order(token, orderId),
      (order) => order.status === status,
      `order ${orderId} ${status}`,
    );
  }

  async metrics(): Promise<string> {
    return (await fetch(`${this.app.urlOf('payments')}/metrics`)).text();
  }

  /** The simulated provider's ledger: what was really charged for an order. */
  async providerLedger(orderId: string): Promise<{ outcome: string; refunded: boolean }[]> {
    const result = await this.database.query<{ outcome: string; refunded: boolean }>(
      `SELECT outcome, refund_id IS NOT NULL AS refunded
         FROM payments.simulated_provider_charges WHERE reference = $1`,
      [orderId],
    );
    return result.rows;
  }

  async attempts(orderId: string): Promise<number | undefined> {
    const result = await this.database.query<{ attempts: number }>(
      'SELECT attempts FROM payments.payments WHERE order_id = $1',
      [orderId],
    );
    return result.rows[0]?.attempts;
  }

  async close(): Promise<void> {
    await this.app.stop();
    await this.database.end();
    await this.throwaway.drop();
  }
}

/**
 * Every app runs a payments worker, and apps of other suites share the test database: one of
 * them would charge our orders with its healthy provider (and ours would decline theirs). Each app
 * here gets a database of its own, unique per run: the monolith and split projects run this file
 * at the same time, and a shared name let one mode's worker spend the other's simulated outage.
 */
async function startShop(name: string, env: Record<string, string>): Promise<Shop> {
  const throwaway = await createThrowawayDatabase(`payments_e2e_${name}`);
  const adminEmail = uniqueEmail('admin');
  const app = await startApp({
    DATABASE_URL: throwaway.url,
    ADMIN_EMAIL: adminEmail,
    ADMIN_PASSWORD,
    ...env,
  });
  const database = new pg.Client({ connectionString: throwaway.url });
  await database.connect();
  const shop = new Shop(app, database, throwaway);
  await shop.open(adminEmail);
  return shop;
}

function metricValue(metrics: string, series: string): number | undefined {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('payments in the monolith', () => {
  describe('with a provider that is down for its first calls', () => {
    const serviceName = `test-payments-${randomUUID().slice(0, 8)}`;
    let shop: Shop;

    beforeAll(async () => {
      shop = await startShop('outage', {
        SERVICE_NAME: serviceName,
        PAYMENT_PROVIDER_OUTAGE_FIRST_CALLS: '4',
        ...FAST_RETRIES,
        // Open well past the worker's next try (<= 400 ms later, however late a busy machine runs
        // it), so that try meets the breaker open, not already half-open.
        PAYMENT_BREAKER_RESET_MS: '2000',
      });
    });
    afterAll(async () => {
      await shop?.close();
    });

    it('charges the first order exactly once after the outage, the breaker opening and closing on the way', async () => {
      const customer = await shop.customer();
      const order = await shop.placeOrder(customer);

      const payment = await shop.paymentReaching(customer, order.id, 'succeeded');

      expect(payment).toMatchObject({ amount: order.total, currency: order.currency });
      expect(await shop.providerLedger(order.id)).toEqual([
        { outcome: 'succeeded', refunded: false },
      ]);
      // The first attempt cannot succeed (its two calls meet the outage); how many more it takes
      // depends on when the worker meets the breaker open or half-open, which a busy machine moves.
      expect(await shop.attempts(order.id)).toBeGreaterThanOrEqual(2);
      const metrics = await shop.metrics();
      const calls = (outcome: string) =>
        metricValue(
          metrics,
          `circuit_breaker_calls_total{breaker="payment-provider",outcome="${outcome}"}`,
        );
      // A call the outage answers slowly on a busy machine ends as a timeout: both are failures.
      expect((calls('failure') ?? 0) + (calls('timeout') ?? 0)).toBeGreaterThanOrEqual(2);
      expect(calls('short_circuited')).toBeGreaterThanOrEqual(1);
      expect(metricValue(metrics, 'circuit_breaker_state{breaker="payment-provider"}')).toBe(0);
      // Read from the database at each scrape (PaymentsOverdue): the paid order left none due.
      expect(metricValue(metrics, 'payments_due')).toBe(0);
      expect(metricValue(metrics, 'payments_due_oldest_overdue_seconds')).toBe(0);
      // Its sibling in the orders context, read the same way (BacklogGauges).
      const ordersMetrics = await (await fetch(`${shop.app.urlOf('orders')}/metrics`)).text();
      expect(metricValue(ordersMetrics, 'orders_awaiting_stock')).toBe(0);
      expect(metricValue(ordersMetrics, 'orders_awaiting_stock_oldest_age_seconds')).toBe(0);
      expect(shop.app.logs()).toContain('circuit breaker \\"payment-provider\\" opened');
    });

    it("shows a paid order's payment to its customer and to admins, and nothing to other customers", async () => {
      const customer = await shop.customer();
      const stranger = await shop.customer();
      const order = await shop.placeOrder(customer, 3);

      const payment = await shop.paymentReaching(customer, order.id, 'succeeded');
      await shop.orderReaching(customer, order.id, 'paid');

      expect(payment).toMatchObject({
        orderId: order.id,
        amount: 3 * 1_250,
        currency: 'EUR',
        failureCode: null,
        chargedAt: expect.any(String),
      });
      expect(await shop.payments(shop.adminToken, order.id)).toEqual([payment]);
      expect(await shop.payments(stranger, order.id)).toEqual([]);
    });

    it('stamps the order and its payment with the app that placed and charged them (docs/adr/0054)', async () => {
      const customer = await shop.customer();
      const order = await shop.placeOrder(customer);
      await shop.paymentReaching(customer, order.id, 'succeeded');

      const { rows } = await shop.database.query<{ order_owner: string; payment_owner: string }>(
        `SELECT o.owner AS order_owner, p.owner AS payment_owner
           FROM orders.orders o JOIN payments.payments p ON p.order_id = o.id
          WHERE o.id = $1`,
        [order.id],
      );
      // Each split app runs as <name>-<app> (test/support/split-stack.ts).
      const split = e2eMode() === 'split';
      expect(rows).toEqual([
        {
          order_owner: split ? `${serviceName}-orders` : serviceName,
          payment_owner: split ? `${serviceName}-payments` : serviceName,
        },
      ]);
    });

    it('refunds a paid order once when it is cancelled', async () => {
      const customer = await shop.customer();
      const order = await shop.placeOrder(customer);
      await shop.orderReaching(customer, order.id, 'paid');

      const cancelled = await shop.call(customer, `/v1/orders/${order.id}/cancel`, {
        method: 'POST',
      });
      expect(cancelled.status).toBe(200);

      const payment = await shop.paymentReaching(customer, order.id, 'refunded');
      expect(payment.refundedAt).toEqual(expect.any(String));
      expect(await shop.providerLedger(order.id)).toEqual([
        { outcome: 'succeeded', refunded: true },
      ]);
    });

    it('answers 400 without a valid orderId and 401 without a token', async () => {
      const customer = await shop.customer();

      expect((await shop.call(customer, '/v1/payments')).status).toBe(400);
      expect((await shop.call(customer, '/v1/payments?orderId=42')).status).toBe(400);
      expect((await fetch(`${shop.app.baseUrl}/v1/payments?orderId=${randomUUID()}`)).status).toBe(
        401,
      );
    });
  });

  describe('with a provider that declines every card', () => {
    let shop: Shop;

    beforeAll(async () => {
      shop = await startShop('decline', { PAYMENT_PROVIDER_DECLINE_RATE: '1' });
    });
    afterAll(async () => {
      await shop?.close();
    });

    it('fails the payment as declined, without retrying it, and the order is cancelled', async () => {
      const customer = await shop.customer();
      const order = await shop.placeOrder(customer);

      const payment = await shop.paymentReaching(customer, order.id, 'failed');
      await shop.orderReaching(customer, order.id, 'cancelled');

      expect(payment.failureCode).toBe('PAYMENTS.CARD_DECLINED');
      expect(await shop.providerLedger(order.id)).toEqual([
        { outcome: 'declined', refunded: false },
      ]);
      expect(await shop.attempts(order.id)).toBe(1);
    });
  });
});
