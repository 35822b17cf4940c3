import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Customer, type ProductBody } from '../e2e/orders-shop.js';
import { recordSuiteResult } from '../support/reliability-report.js';
import { appLogLinesAbout, requestIdIn } from '../support/reliability/app-log-lines.js';
import { describeFigures, reconcileEventually } from '../support/reliability/reconciliation.js';
import {
  openReliabilityShop,
  type ReliabilityShop,
  sized,
} from '../support/reliability/reliability-shop.js';

// Suite 7: two replicas of the orders app behind the gateway, constant load through it, and one
// replica SIGTERMed and started again, over and over. No HTTP request may fail, no message may be
// lost, and every exit must come inside the grace period.

const ROUNDS = sized(2, 10);
const CLIENTS = 4;
const GRACE_MS = 10_000;

interface Failure {
  readonly request: string;
  readonly outcome: string;
}

/** The log lines naming a failed request's id, with the warnings and errors logged near them. */
function linesAbout(failures: readonly Failure[], logs: string): string[] {
  if (failures.length === 0) return [];
  return appLogLinesAbout(
    failures.flatMap((failure) => requestIdIn(failure.outcome) ?? []),
    logs,
  );
}

describe('suite 7: SIGTERM under load, two replicas behind the gateway', () => {
  let reliability: ReliabilityShop;
  let customer: Customer;
  let product: ProductBody;
  const initialStock = 100_000;

  beforeAll(async () => {
    reliability = await openReliabilityShop(
      'rolling_sigterm',
      { SHUTDOWN_GRACE_MS: String(GRACE_MS), SHUTDOWN_READINESS_DELAY_MS: '1000' },
      { secondReplicaOf: ['orders'] },
    );
    customer = await reliability.shop.registerCustomer('sigterm');
    product = await reliability.shop.createProduct(initialStock);
  });

  afterAll(async () => {
    await reliability?.close();
  });

  it(`${ROUNDS} SIGTERMs of one orders replica under load: zero failed requests, zero lost messages`, async () => {
    const { shop, stack, database } = reliability;
    const failures: Failure[] = [];
    let requests = 0;
    let placed = 0;
    let loading = true;
    const client = async (): Promise<void> => {
      while (loading) {
        const key = randomUUID();
        for (const [request, send] of [
          [
            'POST /v1/orders',
            () => shop.placeOrder(customer.token, [{ productId: product.id, quantity: 1 }], key),
          ],
          ['GET /v1/orders', () => shop.request(customer.token, '/v1/orders?limit=5')],
        ] as const) {
          requests += 1;
          try {
            const response = await send();
            const body = await response.text();
            if (response.status >= 400) {
              failures.push({ request, outcome: `${response.status} ${body.slice(0, 300)}` });
            }
            if (response.status < 400 && request === 'POST /v1/orders') placed += 1;
          } catch (error) {
            failures.push({ request, outcome: (error as Error).message });
          }
        }
        await sleep(20);
      }
    };
    const clients = Array.from({ length: CLIENTS }, client);

    const exits: { code: number | null; ms: number }[] = [];
    try {
      for (let round = 0; round < ROUNDS; round += 1) {
        await sleep(1_000);
        const started = Date.now();
        const code = await stack.stopReplica('orders', 'SIGTERM');
        exits.push({ code, ms: Date.now() - started });
        await stack.restartReplica('orders');
      }
      await sleep(1_000);
    } finally {
      loading = false;
      await Promise.all(clients);
    }

    // A failure shows what the apps logged about it: a busy CI machine is where these turn up.
    expect({ failures, logs: linesAbout(failures, stack.logs()) }).toEqual({
      failures: [],
      logs: [],
    });
    expect(exits.filter((exit) => exit.code !== 0 || exit.ms > GRACE_MS)).toEqual([]);
    const books = await reconcileEventually(database, {
      initialStock: new Map([[product.id, initialStock]]),
    });
    expect(books.problems).toEqual([]);
    expect(books.figures.paid).toBe(placed);
    recordSuiteResult(
      'reliability-7',
      'Suite 7: SIGTERM under load',
      `Two replicas of the orders app behind the gateway; ${CLIENTS} clients placing and listing ` +
        `orders without pause (${requests} requests, ${placed} orders); one replica SIGTERMed and ` +
        `started again ${ROUNDS} times. Failed requests: ${failures.length}. Exits: ` +
        `${exits.map((exit) => `${exit.code} in ${exit.ms} ms`).join(', ')} (grace ${GRACE_MS} ms). ` +
        `Every order paid once, no message lost. Reconciliation: ${describeFigures(books.figures)}.`,
    );
  });
});
