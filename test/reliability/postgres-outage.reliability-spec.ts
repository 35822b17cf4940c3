import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SPLIT_APPS } from '../../scripts/split-stack/split-stack.js';
import { eventually } from '../e2e/orders-shop.js';
import { type PrivateService, startPrivatePostgres } from '../support/private-services.js';
import { recordSuiteResult } from '../support/reliability-report.js';
import { describeFigures, reconcileEventually } from '../support/reliability/reconciliation.js';
import {
  openReliabilityShop,
  type ReliabilityShop,
  sized,
} from '../support/reliability/reliability-shop.js';

// Suite 4: the apps' PostgreSQL (a private cluster) is killed while orders arrive, stays down,
// and comes back. Writes must fail fast and clearly, probes must tell, nothing may be half done.

const OUTAGE_MS = sized(4_000, 60_000);
const FAIL_FAST_MS = 2_000;
const PLACERS = 4;

const status = async (url: string): Promise<number> => {
  const response = await fetch(url);
  await response.arrayBuffer();
  return response.status;
};

describe('suite 4: PostgreSQL down', () => {
  let postgres: PrivateService;
  let reliability: ReliabilityShop;
  let stopPlacing = async (): Promise<void> => undefined;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    reliability = await openReliabilityShop('postgres_outage', {
      DATABASE_URL: postgres.url,
      // A placement cut off mid-way is found and released within seconds, not the default minute.
      ORDERS_IDEMPOTENCY_LEASE_MS: '3000',
      ORDERS_IDEMPOTENCY_SWEEP_INTERVAL_MS: '1000',
    });
  });

  afterAll(async () => {
    await stopPlacing();
    await reliability?.close();
    await postgres?.remove();
  });

  it('answers writes 503 within 2 s, stays live but not ready, and leaves no half order after recovery', async () => {
    const { shop, stack, database } = reliability;
    const customer = await shop.registerCustomer('pg-outage');
    const product = await shop.createProduct(1_000);

    // Clients placing orders all along; a 503 is retried later with the same key, as a client would.
    const keys: string[] = [];
    const answers: { status: number; ms: number; during: boolean }[] = [];
    let down = false;
    let placing = true;
    const placer = async (): Promise<void> => {
      while (placing) {
        const key = randomUUID();
        keys.push(key);
        const started = Date.now();
        const during = down;
        const response = await shop.placeOrder(
          customer.token,
          [{ productId: product.id, quantity: 1 }],
          key,
        );
        await response.arrayBuffer();
        answers.push({ status: response.status, ms: Date.now() - started, during });
        await sleep(250);
      }
    };
    const placers = Array.from({ length: PLACERS }, placer);
    stopPlacing = async () => {
      placing = false;
      await Promise.allSettled(placers);
    };
    await eventually(
      async () => answers.filter((a) => a.status === 201).length,
      (placed) => placed >= 8,
      { what: 'orders placed before the outage', app: stack },
    );

    await postgres.stop('SIGQUIT');
    down = true;
    const outageStarted = Date.now();

    const writes = {
      'POST /v1/orders': () =>
        shop.placeOrder(customer.token, [{ productId: product.id, quantity: 1 }]),
      'POST /v1/users': () =>
        shop.request(undefined, '/v1/users', {
          method: 'POST',
          body: { email: `down-${randomUUID()}@example.test`, password: 'tangerine-bicycle-42' },
        }),
      'POST /v1/products': () =>
        shop.request(shop.adminToken, '/v1/products', {
          method: 'POST',
          body: {
            sku: `DOWN-${randomUUID().slice(0, 8)}`,
            name: 'Never saved',
            description: 'The database is down',
            price: { amountMinor: 100, currency: 'EUR' },
            stock: 1,
          },
        }),
    };
    const writeAnswers: Record<string, { status: number; ms: number; retryAfter: boolean }> = {};
    for (const [name, write] of Object.entries(writes)) {
      const started = Date.now();
      const response = await write();
      await response.arrayBuffer();
      writeAnswers[name] = {
        status: response.status,
        ms: Date.now() - started,
        retryAfter: response.headers.has('retry-after'),
      };
    }
    for (const [name, answer] of Object.entries(writeAnswers)) {
      expect({ name, status: answer.status, fast: answer.ms <= FAIL_FAST_MS }).toEqual({
        name,
        status: 503,
        fast: true,
      });
    }

    for (const app of SPLIT_APPS) {
      expect({ app, live: await status(`${stack.urlOf(app)}/health/live`) }).toEqual({
        app,
        live: 200,
      });
      const ready = await eventually(
        () => status(`${stack.urlOf(app)}/health/ready`),
        (code) => code === 503,
        { what: `${app} to report not ready`, timeoutMs: 20_000, app: stack },
      );
      expect({ app, ready }).toEqual({ app, ready: 503 });
    }

    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStarted)));
    await postgres.start();
    down = false;
    const outageMs = Date.now() - outageStarted;
    const restarted = Date.now();
    for (const app of SPLIT_APPS) {
      await eventually(
        () => status(`${stack.urlOf(app)}/health/ready`),
        (code) => code === 200,
        { what: `${app} to be ready again`, timeoutMs: 60_000, app: stack },
      );
    }
    const recoveryMs = Date.now() - restarted;
    await stopPlacing();

    const failures = answers.filter((a) => a.status !== 201 && a.status !== 503);
    expect(failures).toEqual([]);
    const slowRefusals = answers.filter((a) => a.status === 503 && a.ms > FAIL_FAST_MS);
    expect(slowRefusals).toEqual([]);
    const refused = answers.filter((a) => a.status === 503).length;
    expect(refused).toBeGreaterThan(0);

    // Every key a client got a 503 for is retried until it has its answer: one order per key.
    const retryStarted = Date.now();
    // As many clients as placed them retry the keys: not a thousand connections at once.
    const unretried = [...keys];
    const retrier = async (): Promise<void> => {
      for (let key = unretried.pop(); key !== undefined; key = unretried.pop()) {
        const retried = await eventually(
          () => shop.placeOrder(customer.token, [{ productId: product.id, quantity: 1 }], key),
          (response) => response.status === 201,
          { what: `key ${key} to place its order`, timeoutMs: 60_000, app: stack },
        );
        await retried.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: PLACERS * 4 }, retrier));
    const retryMs = Date.now() - retryStarted;
    const { rows } = await database.query<{ orders: string }>(
      'SELECT count(*) AS orders FROM orders.orders WHERE customer_id = $1',
      [customer.id],
    );
    expect(Number(rows[0].orders)).toBe(keys.length);

    const books = await reconcileEventually(database, {
      initialStock: new Map([[product.id, 1_000]]),
    });
    expect(books.problems).toEqual([]);
    const slowest = Math.max(...Object.values(writeAnswers).map((a) => a.ms));
    recordSuiteResult(
      'reliability-4',
      'Suite 4: PostgreSQL down',
      `The five apps ran on a private PostgreSQL, killed (immediate shutdown) while ${PLACERS} ` +
        `clients placed orders, down ${Math.round(outageMs / 1000)} s. Writes during the outage ` +
        `(${Object.entries(writeAnswers)
          .map(([name, a]) => `${name} ${a.status} in ${a.ms} ms`)
          .join(', ')}): 503, slowest ${slowest} ms (limit ${FAIL_FAST_MS} ms); ` +
        `${refused} of ${answers.length} placements refused 503, none slower than ${FAIL_FAST_MS} ms, ` +
        `no other error. Every app: liveness 200, readiness 503 during, 200 after. Each of the ` +
        `${keys.length} keys retried afterwards: ${keys.length} orders, no half order. All apps ` +
        `ready ${recoveryMs} ms after PostgreSQL was back; retried keys settled in ${retryMs} ms. ` +
        `Reconciliation: ${describeFigures(books.figures)}.`,
    );
  });
});
