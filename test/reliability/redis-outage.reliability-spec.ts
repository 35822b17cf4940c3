import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Bull from 'bull';
import { type Customer, eventually, type ProductBody } from '../e2e/orders-shop.js';
import { type PrivateService, startPrivateRedis } from '../support/private-services.js';
import { recordSuiteResult } from '../support/reliability-report.js';
import { describeFigures, reconcileEventually } from '../support/reliability/reconciliation.js';
import {
  openReliabilityShop,
  type ReliabilityShop,
  sized,
} from '../support/reliability/reliability-shop.js';

// Suite 3: the apps' Redis (a private one, append-only) is killed and comes back. Catalog reads
// must keep answering from PostgreSQL within the cache's operation timeout, throttling must fall
// back to per-process limits (and count it), and notification jobs queued before the outage must
// all be delivered after it.

const OUTAGE_MS = sized(6_000, 60_000);
const QUEUED_ORDERS = sized(5, 50);
/** CatalogSettings.DEFAULT_CACHE_OPERATION_TIMEOUT_MS, plus what one PostgreSQL read may take. */
const CACHE_TIMEOUT_MS = 200;
const READ_LIMIT_MS = CACHE_TIMEOUT_MS + 800;
const NOTIFICATION_QUEUE = 'notifications';

const fallbackDecisions = async (metricsUrl: string): Promise<number> => {
  const text = await (await fetch(metricsUrl)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('throttle_fallback_decisions_total'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
};

describe('suite 3: Redis down', () => {
  let redis: PrivateService;
  let reliability: ReliabilityShop;
  let queue: Bull.Queue | undefined;
  const serviceName = `redis-outage-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    reliability = await openReliabilityShop('redis_outage', {
      REDIS_URL: redis.url,
      SERVICE_NAME: serviceName,
    });
  });

  afterAll(async () => {
    await queue?.close();
    await reliability?.close();
    await redis?.remove();
  });

  it('serves catalog reads from PostgreSQL, throttles per process, and delivers every queued job after', async () => {
    const { shop, stack, database } = reliability;
    const customer: Customer = await shop.registerCustomer('redis');
    const product: ProductBody = await shop.createProduct(500);
    expect(await shop.stockOf(product.id)).toBe(500); // now cached

    // Jobs enqueued before the outage: the delivery queue is paused, so they wait in Redis.
    queue = new Bull(NOTIFICATION_QUEUE, {
      prefix: `bull:${serviceName}-notifications`,
      redis: redis.url,
    });
    await queue.pause();
    const orderIds: string[] = [];
    for (let index = 0; index < QUEUED_ORDERS; index += 1) {
      const response = await shop.placeOrder(customer.token, [
        { productId: product.id, quantity: 1 },
      ]);
      expect(response.status).toBe(201);
      orderIds.push(((await response.json()) as { id: string }).id);
    }
    for (const id of orderIds) {
      await shop.orderEventually(customer.token, id, (o) => o.status === 'paid', 'paid');
    }
    const queued = await eventually(
      () => queue?.getJobCounts() ?? Promise.resolve(undefined),
      (counts) => (counts as { paused?: number } | undefined)?.paused === QUEUED_ORDERS * 2,
      { what: 'the notification jobs to wait in the paused queue', timeoutMs: 30_000, app: stack },
    );
    await queue.close();
    queue = undefined;

    const fallbackBefore = await fallbackDecisions(`${stack.urlOf('catalog')}/metrics`);
    await redis.stop('SIGKILL');
    const stopped = Date.now();
    const readTimes: number[] = [];
    while (Date.now() - stopped < OUTAGE_MS) {
      const started = Date.now();
      const response = await shop.request(undefined, `/v1/products/${product.id}`);
      const body = (await response.json()) as { stock?: number };
      readTimes.push(Date.now() - started);
      expect({ status: response.status, stock: body.stock }).toEqual({
        status: 200,
        stock: 500 - QUEUED_ORDERS,
      });
      await sleep(200);
    }
    const fallbackDuring = await fallbackDecisions(`${stack.urlOf('catalog')}/metrics`);
    await redis.start();
    const outageMs = Date.now() - stopped;

    const slowest = Math.max(...readTimes);
    // The first read after the kill may wait for the connection to notice; every read answers.
    const overLimit = readTimes.slice(1).filter((ms) => ms > READ_LIMIT_MS);
    expect(overLimit).toEqual([]);
    expect(fallbackDuring).toBeGreaterThan(fallbackBefore);

    // After the outage: the queue resumes and every job queued before it is delivered.
    queue = new Bull(NOTIFICATION_QUEUE, {
      prefix: `bull:${serviceName}-notifications`,
      redis: redis.url,
    });
    await queue.resume();
    const books = await reconcileEventually(database, {
      initialStock: new Map([[product.id, 500]]),
    });
    expect(books.problems).toEqual([]);
    expect(books.figures.notificationsSent).toBe(QUEUED_ORDERS * 2);
    recordSuiteResult(
      'reliability-3',
      'Suite 3: Redis down',
      `The apps' Redis (private, append-only) was killed for ${Math.round(outageMs / 1000)} s. ` +
        `${readTimes.length} catalog reads through the gateway meanwhile: all 200 with the ` +
        `PostgreSQL stock, slowest ${slowest} ms (cache operation timeout ${CACHE_TIMEOUT_MS} ms). ` +
        `Throttling decisions taken by the in-process fallback on catalog: ` +
        `${fallbackDuring - fallbackBefore} (throttle_fallback_decisions_total). ` +
        `${(queued as { paused?: number } | undefined)?.paused ?? 0} notification jobs queued (queue paused) before the outage were ` +
        `all delivered after it. Reconciliation: ${describeFigures(books.figures)}.`,
    );
  });
});
