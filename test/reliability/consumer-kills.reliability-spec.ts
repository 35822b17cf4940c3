import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SplitApp } from '../../scripts/split-stack/split-stack.js';
import { type Customer, eventually } from '../e2e/orders-shop.js';
import { recordSuiteResult } from '../support/reliability-report.js';
import { appLogLinesAbout, requestIdIn } from '../support/reliability/app-log-lines.js';
import { describeFigures, reconcileEventually } from '../support/reliability/reconciliation.js';
import {
  openReliabilityShop,
  type ReliabilityShop,
  sized,
} from '../support/reliability/reliability-shop.js';

// Suite 5: the apps that consume the saga's events are SIGKILLed again and again while a burst of
// orders produces their events (each order: placed, paid, and a charge and two notifications).
// Builds on split-restart-burst (one graceful restart, one kill) with kills until the burst settles.

const ORDERS = sized(100, 1_500);
const CONCURRENCY = 8;
/** The full burst with its kills takes minutes on a busy machine; the settling waits are bounded. */
const TEST_TIMEOUT_MS = sized(180_000, 1_200_000);
const VICTIMS: readonly SplitApp[] = ['payments', 'notifications', 'orders'];

describe('suite 5: consumers SIGKILLed repeatedly during a burst', () => {
  let reliability: ReliabilityShop;

  beforeAll(async () => {
    reliability = await openReliabilityShop('consumer_kills', {
      // A placement cut off by a kill frees its key within seconds, not the default minute.
      ORDERS_IDEMPOTENCY_LEASE_MS: '3000',
      ORDERS_IDEMPOTENCY_SWEEP_INTERVAL_MS: '1000',
    });
  });

  afterAll(async () => {
    await reliability?.close();
  });

  it(
    `${ORDERS} orders while ${VICTIMS.join(', ')} are killed in turn: every effect happens exactly once`,
    async () => {
      const { shop, stack, database } = reliability;
      const customers: Customer[] = [];
      for (let index = 0; index < 4; index += 1)
        customers.push(await shop.registerCustomer('kills'));
      const product = await shop.createProduct(ORDERS * 2);

      let placed = 0;
      let next = 0;
      const placeOne = async (index: number): Promise<void> => {
        const customer = customers[index % customers.length];
        const key = randomUUID();
        // A 503 (or a dropped connection) while an app is down is retried with the same key, and
        // so is a 409 "in progress": the request that holds the key died with the orders app.
        const response = await eventually(
          () =>
            shop
              .placeOrder(customer.token, [{ productId: product.id, quantity: 1 }], key)
              .catch(() => undefined),
          (candidate) =>
            candidate !== undefined && candidate.status !== 503 && candidate.status !== 409,
          { what: `order ${index} to be accepted`, timeoutMs: 120_000, app: stack },
        );
        if (response?.status !== 201) {
          // The answer and what the apps logged about it, so that a CI failure can be read.
          const body = (await response?.text()) ?? '';
          const requestId = response?.headers.get('x-request-id') ?? requestIdIn(body);
          const logs = appLogLinesAbout(requestId === undefined ? [] : [requestId], stack.logs());
          throw new Error(
            `order ${index} answered ${response?.status}: ${body}\napp log lines:\n${logs.join('\n')}`,
          );
        }
        await response?.arrayBuffer();
        placed += 1;
      };
      const placer = async (): Promise<void> => {
        while (next < ORDERS) await placeOne(next++);
      };

      let kills = 0;
      let killing = true;
      const killer = async (): Promise<void> => {
        for (let turn = 0; killing; turn += 1) {
          const victim = VICTIMS[turn % VICTIMS.length];
          await stack.stopApp(victim, 'SIGKILL');
          kills += 1;
          await stack.restartApp(victim);
          await sleep(500);
        }
      };

      const killerDone = killer();
      const started = Date.now();
      try {
        await Promise.all(Array.from({ length: CONCURRENCY }, placer));
        // Keep killing while the events of the burst are still being consumed.
        await eventually(
          async () =>
            (
              await database.query<{ paid: string }>(
                `SELECT count(*) AS paid FROM orders.orders WHERE status = 'paid'`,
              )
            ).rows[0],
          (row) => Number(row.paid) >= ORDERS * 0.9 && kills >= 2 * VICTIMS.length,
          { what: 'most orders paid', timeoutMs: 300_000, app: stack },
        );
      } finally {
        killing = false;
        await killerDone;
      }
      const burstMs = Date.now() - started;
      expect(placed).toBe(ORDERS);

      const books = await reconcileEventually(
        database,
        { initialStock: new Map([[product.id, ORDERS * 2]]) },
        300_000,
      );
      expect(books.problems).toEqual([]);
      expect(books.figures).toMatchObject({
        orders: ORDERS,
        paid: ORDERS,
        payments: ORDERS,
        standingCharges: ORDERS,
        notificationsSent: ORDERS * 2,
      });
      recordSuiteResult(
        'reliability-5',
        'Suite 5: consumers SIGKILLed during a burst',
        `${ORDERS} orders placed by ${CONCURRENCY} clients (${ORDERS * 5} saga events: placed, ` +
          `charged, paid, two notifications each) while ${VICTIMS.join(', ')} were SIGKILLed and ` +
          `restarted in turn, ${kills} kills in ${Math.round(burstMs / 1000)} s. Effects equal ` +
          `events: ${books.figures.paid} orders paid, ${books.figures.standingCharges} charges, ` +
          `${books.figures.notificationsSent} notifications, none twice. ` +
          `Reconciliation: ${describeFigures(books.figures)}.`,
      );
    },
    TEST_TIMEOUT_MS,
  );
});
