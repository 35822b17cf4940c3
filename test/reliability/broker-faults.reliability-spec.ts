import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SPLIT_APPS } from '../../scripts/split-stack/split-stack.js';
import { type Customer, eventually, type ProductBody } from '../e2e/orders-shop.js';
import { type PrivateRabbitmq, startPrivateRabbitmq } from '../support/private-services.js';
import { recordSuiteResult } from '../support/reliability-report.js';
import { describeFigures, reconcileEventually } from '../support/reliability/reconciliation.js';
import {
  openReliabilityShop,
  type ReliabilityShop,
  sized,
} from '../support/reliability/reliability-shop.js';

// Suites 1 and 2: the apps' RabbitMQ (a private node) goes down, then blocks every publisher with
// a memory alarm, while orders arrive at a fixed rate. Nothing may be lost or done twice. While the
// catalog cannot be reached, orders are accepted awaiting stock (202) and confirmed after (ADR 0044).

const BROKER_DOWN_MS = sized(6_000, 60_000);
const BROKER_BLOCKED_MS = sized(5_000, 30_000);
const ORDERS_PER_SECOND = 4;
/** An order placed (201), or accepted awaiting stock while the catalog could not be reached (202). */
const isAccepted = (status: number | undefined): boolean => status === 201 || status === 202;

interface Attempt {
  readonly key: string;
  status?: number;
  ms?: number;
}

const readiness = async (url: string): Promise<{ status: number; body: string }> => {
  const response = await fetch(`${url}/health/ready`);
  return { status: response.status, body: await response.text() };
};

describe('suites 1 and 2: the broker down, then blocked', () => {
  let rabbitmq: PrivateRabbitmq;
  let reliability: ReliabilityShop;
  let customer: Customer;
  let product: ProductBody;
  const initialStock = 100_000;
  const attempts: Attempt[] = [];

  beforeAll(async () => {
    rabbitmq = await startPrivateRabbitmq();
    reliability = await openReliabilityShop('broker_faults', { RABBITMQ_URL: rabbitmq.url });
    customer = await reliability.shop.registerCustomer('broker');
    product = await reliability.shop.createProduct(initialStock);
  });

  afterAll(async () => {
    await reliability?.close();
    await rabbitmq?.remove();
  });

  /** Places orders at a fixed rate for `ms`, each with its own key, without waiting for answers. */
  async function ordersAtFixedRate(ms: number): Promise<Attempt[]> {
    const sent: Promise<void>[] = [];
    const batch: Attempt[] = [];
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const attempt: Attempt = { key: randomUUID() };
      batch.push(attempt);
      const started = Date.now();
      sent.push(
        reliability.shop
          .placeOrder(customer.token, [{ productId: product.id, quantity: 1 }], attempt.key)
          .then(async (response) => {
            await response.arrayBuffer();
            attempt.status = response.status;
            attempt.ms = Date.now() - started;
          }),
      );
      await sleep(1_000 / ORDERS_PER_SECOND);
    }
    await Promise.all(sent);
    attempts.push(...batch);
    return batch;
  }

  /** What a client does with a 503: it retries the same key until it gets its order. */
  async function retryRefused(batch: readonly Attempt[]): Promise<void> {
    await Promise.all(
      batch
        .filter((attempt) => !isAccepted(attempt.status))
        .map(async (attempt) => {
          const response = await eventually(
            () =>
              reliability.shop.placeOrder(
                customer.token,
                [{ productId: product.id, quantity: 1 }],
                attempt.key,
              ),
            (candidate) => isAccepted(candidate.status),
            {
              what: `key ${attempt.key} to place its order`,
              timeoutMs: 90_000,
              app: reliability.stack,
            },
          );
          await response.arrayBuffer();
        }),
    );
  }

  const summary = (batch: readonly Attempt[]): string => {
    const byStatus = new Map<number | undefined, number>();
    for (const { status } of batch) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    return [...byStatus].map(([status, count]) => `${count} × ${status}`).join(', ');
  };

  async function everyAppReady(): Promise<void> {
    for (const app of SPLIT_APPS) {
      await eventually(
        () => readiness(reliability.stack.urlOf(app)),
        (probe) => probe.status === 200,
        { what: `${app} to be ready`, timeoutMs: 60_000, app: reliability.stack },
      );
    }
  }

  /**
   * Every answer was an order (placed or accepted) or a 503 (never another error); each refused
   * key retried gets its one order; every order ends paid or cancelled (the reconciliation finds
   * none still awaiting stock or payment); the books agree. Returns the reconciliation figures.
   */
  async function ordersAgree(): Promise<string> {
    const refusedBadly = attempts.filter(
      (attempt) => !isAccepted(attempt.status) && attempt.status !== 503,
    );
    expect(refusedBadly).toEqual([]);
    await retryRefused(attempts);
    const { rows } = await reliability.database.query<{ orders: string }>(
      `SELECT count(*) AS orders FROM orders.orders WHERE customer_id = $1`,
      [customer.id],
    );
    expect({ orders: Number(rows[0].orders) }).toEqual({ orders: attempts.length });
    const books = await reconcileEventually(reliability.database, {
      initialStock: new Map([[product.id, initialStock]]),
    });
    expect(books.problems).toEqual([]);
    // The stock suffices for every order: none is refused, each one is paid once.
    expect(books.figures.paid).toBe(attempts.length);
    return describeFigures(books.figures);
  }

  it(`suite 1: broker down ${BROKER_DOWN_MS / 1000} s under ${ORDERS_PER_SECOND} orders/s: every order accepted, then paid once, none lost`, async () => {
    const before = ordersAtFixedRate(2_000);
    await before;
    const outage = ordersAtFixedRate(BROKER_DOWN_MS + 2_000);
    await sleep(1_000);
    await rabbitmq.stop('SIGKILL');
    const stopped = Date.now();
    await eventually(
      () => readiness(reliability.stack.urlOf('orders')),
      (probe) => probe.status === 503,
      { what: 'orders to report not ready', timeoutMs: 20_000, app: reliability.stack },
    );
    await sleep(Math.max(0, BROKER_DOWN_MS - (Date.now() - stopped)));
    await rabbitmq.start();
    const downMs = Date.now() - stopped;
    const during = await outage;
    const after = await ordersAtFixedRate(2_000);
    // The API kept accepting orders: no 503, and those the catalog could not serve wait for it.
    const notAccepted = [...during, ...after].filter((attempt) => !isAccepted(attempt.status));
    expect(notAccepted).toEqual([]);
    const awaitingStock = during.filter((attempt) => attempt.status === 202).length;
    expect(awaitingStock).toBeGreaterThan(0);
    await everyAppReady();

    const figures = await ordersAgree();
    recordSuiteResult(
      'reliability-1',
      'Suite 1: broker down',
      `The apps' RabbitMQ (a private node) was killed for ${Math.round(downMs / 1000)} s while ` +
        `orders arrived at ${ORDERS_PER_SECOND}/s through the gateway. Answers during the outage: ` +
        `${summary(during)} (a 202 is an order accepted awaiting stock: the catalog could not be ` +
        `reached over the broker, so the stock confirmer reserved and priced it after); ` +
        `afterwards: ${summary(after)}. ${attempts.length} keys, ${attempts.length} orders, all ` +
        `paid, none twice, none left awaiting. Reconciliation: ${figures}.`,
    );
  });

  it(`suite 2: broker blocked ${BROKER_BLOCKED_MS / 1000} s (memory alarm): readiness says so, publishing resumes, nothing dropped`, async () => {
    const blocked = ordersAtFixedRate(BROKER_BLOCKED_MS + 2_000);
    await sleep(1_000);
    await rabbitmq.setMemoryAlarm(true);
    const alarmed = Date.now();
    let probe: { status: number; body: string } | undefined;
    try {
      probe = await eventually(
        () => readiness(reliability.stack.urlOf('orders')),
        (candidate) => candidate.status === 503,
        { what: 'orders to report the blocked broker', timeoutMs: 20_000, app: reliability.stack },
      );
      await sleep(Math.max(0, BROKER_BLOCKED_MS - (Date.now() - alarmed)));
    } finally {
      await rabbitmq.setMemoryAlarm(false);
    }
    const blockedMs = Date.now() - alarmed;
    const during = await blocked;
    await everyAppReady();
    const reason = (
      JSON.parse(probe?.body ?? '{}') as { error?: { messaging?: { message?: string } } }
    ).error?.messaging?.message;
    expect(reason).toMatch(/^the broker blocks publishing/);

    const figures = await ordersAgree();
    recordSuiteResult(
      'reliability-2',
      'Suite 2: broker blocked',
      `A memory alarm on the apps' RabbitMQ blocked every publisher for ${Math.round(blockedMs / 1000)} s ` +
        `while orders arrived at ${ORDERS_PER_SECOND}/s. Readiness of the apps: 503 naming the ` +
        `blocked broker ("${reason}"). Answers meanwhile: ${summary(during)}. ` +
        `After the alarm cleared, each refused key retried: ${attempts.length} orders, all paid, ` +
        `none dropped or doubled. Reconciliation: ${figures}.`,
    );
  });
});
