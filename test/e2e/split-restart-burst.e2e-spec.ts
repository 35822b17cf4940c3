import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { SplitStack } from '../support/split-stack.js';
import {
  createThrowawayDatabase,
  type ThrowawayDatabase,
} from '../integration/saga/throwaway-database.js';
import { type Customer, eventually, Shop } from './orders-shop.js';

// Runs in the e2e-split jest project only (the e2e project ignores test/e2e/split-*): it restarts
// single apps of the split stack in the middle of a burst, which the monolith cannot do.

const ORDERS = 200;
const CONCURRENCY = 8;

interface Counts {
  readonly paid: number;
  readonly payments: number;
  readonly ordersWithOnePayment: number;
  readonly captured: number;
  readonly placedNotices: number;
  readonly paidNotices: number;
  readonly duplicateNotices: number;
}

describe('split mode: apps restarted in the middle of a burst of orders', () => {
  let shop: Shop;
  let stack: SplitStack;
  let throwaway: ThrowawayDatabase;
  let database: pg.Client;

  // A database of its own: any payments worker charges any due payment of its database, and a
  // suite running beside this one on the shared database took this burst's payments (then its
  // stack stopped before the order-paid notices were sent, or its provider declined them).
  beforeAll(async () => {
    throwaway = await createThrowawayDatabase('restart_burst');
    shop = await Shop.open({ DATABASE_URL: throwaway.url });
    if (!('restartApp' in shop.app))
      throw new Error('this suite needs the split stack (e2e-split)');
    stack = shop.app as SplitStack;
    database = new pg.Client({ connectionString: throwaway.url });
    await database.connect();
  });

  afterAll(async () => {
    await database?.end();
    await shop?.close();
    await throwaway?.drop();
  });

  async function countsFor(
    orderIds: readonly string[],
    customers: readonly string[],
  ): Promise<Counts> {
    const { rows } = await database.query<Record<keyof Counts, string>>(
      `SELECT
         (SELECT count(*) FROM orders.orders WHERE id = ANY($1::uuid[]) AND status = 'paid') AS paid,
         (SELECT count(*) FROM payments.payments WHERE order_id = ANY($1::uuid[])) AS payments,
         (SELECT count(*) FROM (SELECT order_id FROM payments.payments WHERE order_id = ANY($1::uuid[])
                                 GROUP BY order_id HAVING count(*) = 1) AS single) AS "ordersWithOnePayment",
         (SELECT count(*) FROM payments.simulated_provider_charges charge
            JOIN payments.payments payment ON payment.provider_charge_id = charge.charge_id::text
           WHERE payment.order_id = ANY($1::uuid[])) AS captured,
         (SELECT count(*) FROM notifications.notifications
           WHERE customer_id = ANY($2::uuid[]) AND template = 'order-placed') AS "placedNotices",
         (SELECT count(*) FROM notifications.notifications
           WHERE customer_id = ANY($2::uuid[]) AND template = 'order-paid') AS "paidNotices",
         (SELECT count(*) FROM (SELECT event_id FROM notifications.notifications
                                 WHERE customer_id = ANY($2::uuid[])
                                 GROUP BY event_id, template HAVING count(*) > 1) AS twice) AS "duplicateNotices"`,
      [orderIds, customers],
    );
    const [row] = rows;
    return Object.fromEntries(
      Object.entries(row).map(([key, value]) => [key, Number(value)]),
    ) as unknown as Counts;
  }

  /**
   * For a timeout's message: the payments that did not succeed, and where each order-paid event
   * without a notice is (published or not, retried, dead-lettered).
   */
  async function whyUnsettled(orderIds: readonly string[]): Promise<string> {
    const { rows: unpaid } = await database.query<Record<string, unknown>>(
      `SELECT order_id AS "orderId", status, attempts, failure_code AS "failureCode",
              last_error AS "lastError", next_attempt_at AS "nextAttemptAt", updated_at AS "updatedAt"
         FROM payments.payments WHERE order_id = ANY($1::uuid[]) AND status <> 'succeeded'`,
      [orderIds],
    );
    const { rows: unnoticed } = await database.query<Record<string, unknown>>(
      `SELECT event.id, event.payload->>'orderId' AS "orderId", event.published_at AS "publishedAt",
              event.attempts, event.last_error AS "lastError",
              (SELECT json_agg(json_build_object('attempts', retry.attempts, 'lastError', retry.last_error,
                                                 'due', retry.next_attempt_at, 'leasedUntil', retry.leased_until))
                 FROM notifications.delivery_retries retry
                WHERE retry.consumer = 'notifications.order-paid'
                  AND retry.envelope->>'id' = event.id::text) AS retries,
              (SELECT json_agg(json_build_object('reason', dead.reason, 'at', dead.created_at))
                 FROM notifications.dead_letters dead
                WHERE dead.consumer = 'notifications.order-paid'
                  AND dead.message_id = event.id::text) AS "deadLetters"
         FROM orders.outbox event
        WHERE event.type = 'orders.v1.order-paid' AND event.payload->>'orderId' = ANY($1::text[])
          AND NOT EXISTS (SELECT 1 FROM notifications.notifications notice
                           WHERE notice.event_id = event.id AND notice.template = 'order-paid')`,
      [orderIds],
    );
    return (
      `payments not succeeded: ${JSON.stringify(unpaid, null, 1)}\n` +
      `order-paid events without a notice: ${JSON.stringify(unnoticed, null, 1)}`
    );
  }

  it('loses and duplicates no effect: every order paid once, charged once, told twice', async () => {
    const customers: Customer[] = [];
    for (let index = 0; index < 4; index += 1) customers.push(await shop.registerCustomer('burst'));
    const product = await shop.createProduct(ORDERS * 2);

    const orderIds: string[] = [];
    let next = 0;
    const restarts: Promise<void>[] = [];
    const placeOne = async (index: number): Promise<void> => {
      const customer = customers[index % customers.length];
      const key = randomUUID();
      // A 503 while an app restarts is retried with the same key, as a client would.
      const response = await eventually(
        () => shop.placeOrder(customer.token, [{ productId: product.id, quantity: 1 }], key),
        (candidate) => candidate.status !== 503,
        { what: `order ${index} to be accepted`, timeoutMs: 60_000, app: stack },
      );
      expect(response.status).toBe(201);
      orderIds.push(((await response.json()) as { id: string }).id);
    };
    const worker = async (): Promise<void> => {
      while (next < ORDERS) {
        const index = next++;
        // Mid-burst: payments is restarted gracefully, notifications is killed outright.
        if (index === ORDERS / 4) restarts.push(stack.restartApp('payments'));
        if (index === ORDERS / 2) {
          restarts.push(
            stack.stopApp('notifications', 'SIGKILL').then(() => stack.restartApp('notifications')),
          );
        }
        await placeOne(index);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await Promise.all(restarts);
    expect(orderIds).toHaveLength(ORDERS);

    const customerIds = customers.map((customer) => customer.id);
    const settled = await eventually(
      () => countsFor(orderIds, customerIds),
      (counts) => counts.paid === ORDERS && counts.paidNotices >= ORDERS,
      { what: `all ${ORDERS} orders paid and notified`, timeoutMs: 240_000, app: stack },
    ).catch(async (error: unknown) => {
      throw new Error(`${(error as Error).message}\n${await whyUnsettled(orderIds)}`);
    });
    expect(settled).toEqual({
      paid: ORDERS,
      payments: ORDERS,
      ordersWithOnePayment: ORDERS,
      captured: ORDERS,
      placedNotices: ORDERS,
      paidNotices: ORDERS,
      duplicateNotices: 0,
    });
    expect(await shop.stockOf(product.id)).toBe(ORDERS);
  }, 420_000);
});
