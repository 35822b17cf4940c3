import { randomUUID } from 'node:crypto';
import { recordSuiteResult } from '../support/reliability-report.js';
import { describeFigures, reconcileEventually } from '../support/reliability/reconciliation.js';
import {
  openReliabilityShop,
  type ReliabilityShop,
  sized,
} from '../support/reliability/reliability-shop.js';

// Suite 8: one Idempotency-Key, many concurrent POST /v1/orders through the gateway.
const CONCURRENT = sized(24, 200);

describe('suite 8: concurrent placements with one idempotency key', () => {
  let reliability: ReliabilityShop;

  beforeAll(async () => {
    reliability = await openReliabilityShop('idempotency_race');
  });

  afterAll(async () => {
    await reliability?.close();
  });

  it(`${CONCURRENT} concurrent requests with one key make one order and one charge`, async () => {
    const { shop, database } = reliability;
    const customer = await shop.registerCustomer('race');
    const product = await shop.createProduct(10);
    const key = randomUUID();
    const items = [{ productId: product.id, quantity: 2 }];

    const answers = await Promise.all(
      Array.from({ length: CONCURRENT }, async () => {
        const response = await shop.placeOrder(customer.token, items, key);
        const body = (await response.json()) as { id?: string; code?: string };
        return { status: response.status, id: body.id, code: body.code };
      }),
    );
    const statuses = answers.map((answer) => answer.status);
    // The winner's 201, its replays (201, same body), or "in progress, retry" (409): never a 5xx.
    expect(statuses.filter((status) => status !== 201 && status !== 409)).toEqual([]);
    const created = new Set(answers.filter((a) => a.status === 201).map((a) => a.id));
    expect(created.size).toBe(1);
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(refused.code).toBe('ORDERS.IDEMPOTENCY_KEY_IN_PROGRESS');
    }
    const [orderId] = [...created];
    await shop.orderEventually(
      customer.token,
      orderId as string,
      (o) => o.status === 'paid',
      'paid',
    );

    // Once settled, the key answers with that one order.
    const replay = await shop.placeOrder(customer.token, items, key);
    expect(replay.status).toBe(201);
    expect(((await replay.json()) as { id: string }).id).toBe(orderId);

    const { rows } = await database.query<{ orders: string; charges: string }>(
      `SELECT (SELECT count(*) FROM orders.orders WHERE customer_id = $1) AS orders,
              (SELECT count(*) FROM payments.simulated_provider_charges
                WHERE reference = $2 AND outcome = 'succeeded') AS charges`,
      [customer.id, orderId],
    );
    expect(rows[0]).toEqual({ orders: '1', charges: '1' });
    expect(await shop.stockOf(product.id)).toBe(8);

    const books = await reconcileEventually(database, {
      initialStock: new Map([[product.id, 10]]),
    });
    expect(books.problems).toEqual([]);
    const replays = statuses.filter((status) => status === 201).length - 1;
    recordSuiteResult(
      'reliability-8',
      'Suite 8: idempotency race',
      `${CONCURRENT} concurrent \`POST /v1/orders\` with one Idempotency-Key through the gateway ` +
        `(split mode): 1 order created, ${replays} replays of it (201), ` +
        `${statuses.length - replays - 1} answered 409 IDEMPOTENCY_KEY_IN_PROGRESS, 0 errors; ` +
        `1 charge; stock 10 → 8. Reconciliation: ${describeFigures(books.figures)}.`,
    );
  });
});
