import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CancelOrderService } from '../../../libs/orders/src/services/cancel-order.service.js';
import { PlaceOrderService } from '../../../libs/orders/src/services/place-order.service.js';
import { type PlacedOrder, sagaInconsistencies } from './saga-consistency.js';
import { type SagaTestApp, type SagaTransport, startSagaTestApp } from './saga-test-app.js';

const ORDERS = 24;
const INITIAL_STOCK = 100;
// Generous: a busy 2-core machine, a payment worker that polls, and every event twice.
const SETTLE_DEADLINE_MS = 120_000;

/** Polls until `check` finds nothing wrong; fails with what was still wrong at the deadline. */
async function untilConsistent(check: () => Promise<string[]>, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let problems = await check();
  while (problems.length > 0) {
    if (Date.now() > deadline) {
      throw new Error(`the saga did not settle consistently:\n${problems.join('\n')}`);
    }
    await sleep(250);
    problems = await check();
  }
}

/**
 * The order saga (orders, catalog, payments, notifications: the real modules on real Postgres and
 * Redis) on a broker that delivers every event twice and in a shuffled order: the in-process bus
 * made to misbehave, and real RabbitMQ fed each event twice. A payment provider that declines 40%
 * of the charges, and customers who cancel some orders at once and others once they settled,
 * drive every compensation path. Set SAGA_SEED to replay a run's choices.
 */
describe.each<SagaTransport>(['in-process', 'rmq'])(
  'the order saga on a broker that reorders and redelivers (%s)',
  (transport) => {
    const seed = Number(process.env.SAGA_SEED ?? Date.now() % 1_000_000);
    let saga: SagaTestApp;

    beforeAll(async () => {
      saga = await startSagaTestApp(transport, seed, {
        LOG_LEVEL: 'error',
        PAYMENT_PROVIDER_DECLINE_RATE: '0.4',
        PAYMENT_PROVIDER_LATENCY_MS: '0',
        PAYMENT_WORKER_POLL_INTERVAL_MS: '100',
      });
    }, SETTLE_DEADLINE_MS);

    afterAll(async () => {
      await saga?.close();
    });

    async function createProduct(): Promise<string> {
      const id = randomUUID();
      await saga.dataSource.query(
        `INSERT INTO catalog.products
         (id, sku, name, description, price_amount, price_currency, stock, active, version, created_at, updated_at)
       VALUES ($1, $2, 'Saga test product', 'for the reordering saga test', 1500, 'EUR', $3, true, 1, now(), now())`,
        [id, `saga-${id}`, INITIAL_STOCK],
      );
      return id;
    }

    async function cancelAsCustomer(order: PlacedOrder): Promise<void> {
      try {
        await saga.app
          .get(CancelOrderService, { strict: false })
          .cancel(order.orderId, { id: order.customerId, isAdmin: false });
      } catch {
        // Already cancelled by a declined payment: the customer's cancellation is then refused.
      }
    }

    const statusOf = async (orderId: string): Promise<string | undefined> =>
      (
        await saga.dataSource.query<{ status: string }[]>(
          'SELECT status FROM orders.orders WHERE id = $1',
          [orderId],
        )
      )[0]?.status;

    it(
      `ends every order paid or cancelled, with stock, payments and notifications consistent (seed ${seed})`,
      async () => {
        const products = [await createProduct(), await createProduct()];
        const initialStock = new Map(products.map((id) => [id, INITIAL_STOCK]));
        const placeOrder = saga.app.get(PlaceOrderService, { strict: false });

        const placed = await Promise.all(
          Array.from({ length: ORDERS }, async (_, index): Promise<PlacedOrder> => {
            const customerId = randomUUID();
            const lines = [
              { productId: products[index % 2], quantity: 1 + (index % 3) },
              ...(index % 4 === 0 ? [{ productId: products[1], quantity: 2 }] : []),
            ];
            const result = await placeOrder.place({
              customerId,
              idempotencyKey: randomUUID(),
              items: lines,
            });
            return { orderId: result.order.id, customerId, lines };
          }),
        );

        // Every fourth order is cancelled at once, racing its payment; every fourth other one once it
        // has settled, which refunds it if it was paid.
        const cancelledAtOnce = placed.filter((_, index) => index % 4 === 1);
        const cancelledLater = placed.filter((_, index) => index % 4 === 2);
        await Promise.all(cancelledAtOnce.map(cancelAsCustomer));
        await Promise.all(
          cancelledLater.map(async (order) => {
            const deadline = Date.now() + SETTLE_DEADLINE_MS;
            while (!['paid', 'cancelled'].includes((await statusOf(order.orderId)) ?? '')) {
              if (Date.now() > deadline) throw new Error(`order ${order.orderId} never settled`);
              await sleep(100);
            }
            await cancelAsCustomer(order);
          }),
        );

        const check = () => sagaInconsistencies(saga.dataSource, placed, initialStock);
        await untilConsistent(check, SETTLE_DEADLINE_MS);
        // Then let every held copy arrive: a late duplicate must not undo the consistent state.
        const idleBy = Date.now() + SETTLE_DEADLINE_MS;
        while (!saga.broker.isIdle && Date.now() < idleBy) await sleep(100);
        expect(saga.broker.isIdle).toBe(true);
        expect(await check()).toEqual([]);

        // Both ends of the saga were reached (with 24 orders and 40% declined, all but certainly).
        const outcomes = await saga.dataSource.query<{ outcome: string }[]>(
          `SELECT coalesce(cancellation_reason, status) AS outcome FROM orders.orders WHERE id = ANY($1)`,
          [placed.map((order) => order.orderId)],
        );
        expect(new Set(outcomes.map((row) => row.outcome))).toEqual(
          new Set(['paid', 'payment_failed', 'cancelled_by_customer']),
        );
        for (const order of cancelledAtOnce)
          expect(await statusOf(order.orderId)).toBe('cancelled');
        for (const order of cancelledLater) expect(await statusOf(order.orderId)).toBe('cancelled');
        // Each event reached the consumers twice.
        expect(saga.broker.deliveries).toBeGreaterThanOrEqual(2 * ORDERS * 2);
      },
      SETTLE_DEADLINE_MS * 3,
    );
  },
);
