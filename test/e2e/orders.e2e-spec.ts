import { randomUUID } from 'node:crypto';
import {
  createThrowawayDatabase,
  type ThrowawayDatabase,
} from '../integration/saga/throwaway-database.js';
import { type OrderBody, type ProblemBody, Shop } from './orders-shop.js';

/**
 * The orders API on the monolith over real HTTP. The payment workers are off here, so orders stay
 * `pending_payment` for the whole suite: these tests are about placing orders, not about the saga
 * (see order-saga.e2e-spec.ts). On a database of its own: a payments worker charges any due
 * payment of its database, so another suite's would pay these orders on the shared one.
 */
describe('orders over HTTP', () => {
  let shop: Shop;
  let database: ThrowawayDatabase;

  beforeAll(async () => {
    database = await createThrowawayDatabase('orders_e2e');
    shop = await Shop.open({ DATABASE_URL: database.url, PAYMENT_WORKER_ENABLED: 'false' });
  });

  afterAll(async () => {
    await shop?.close();
    await database?.drop();
  });

  it('places an order at catalog prices, with 201, a Location header and its stock reserved', async () => {
    const customer = await shop.registerCustomer();
    const product = await shop.createProduct(5, 1_250);

    const response = await shop.placeOrder(customer.token, [
      { productId: product.id, quantity: 2 },
    ]);

    expect(response.status).toBe(201);
    const order = (await response.json()) as OrderBody;
    expect(response.headers.get('location')).toBe(`/v1/orders/${order.id}`);
    expect(response.headers.get('idempotent-replayed')).toBeNull();
    expect(order).toMatchObject({
      customerId: customer.id,
      status: 'pending_payment',
      currency: 'EUR',
      total: 2_500,
      lines: [{ productId: product.id, quantity: 2, unitPrice: 1_250, lineTotal: 2_500 }],
    });
    expect(await shop.stockOf(product.id)).toBe(3);
    expect(await shop.getOrder(customer.token, order.id)).toMatchObject({ id: order.id });
  });

  it('answers a retry with the same key and body with the very same response, placing nothing more', async () => {
    const customer = await shop.registerCustomer();
    const product = await shop.createProduct(5);
    const key = randomUUID();
    const items = [{ productId: product.id, quantity: 1 }];

    const first = await shop.placeOrder(customer.token, items, key);
    const firstBody = await first.text();
    const retry = await shop.placeOrder(customer.token, items, key);

    expect(retry.status).toBe(first.status);
    expect(await retry.text()).toBe(firstBody);
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await shop.stockOf(product.id)).toBe(4);
  });

  it('refuses the same key with a different body with 422', async () => {
    const customer = await shop.registerCustomer();
    const product = await shop.createProduct(5);
    const key = randomUUID();
    expect(
      (await shop.placeOrder(customer.token, [{ productId: product.id, quantity: 1 }], key)).status,
    ).toBe(201);

    const reused = await shop.placeOrder(
      customer.token,
      [{ productId: product.id, quantity: 2 }],
      key,
    );

    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toContain('application/problem+json');
    expect(((await reused.json()) as ProblemBody).code).toBe('ORDERS.IDEMPOTENCY_KEY_REUSED');
    expect(await shop.stockOf(product.id)).toBe(4);
  });

  it('requires an Idempotency-Key with 400, reserving nothing', async () => {
    const customer = await shop.registerCustomer();
    const product = await shop.createProduct(5);

    const response = await shop.placeOrder(
      customer.token,
      [{ productId: product.id, quantity: 1 }],
      null,
    );

    expect(response.status).toBe(400);
    expect(((await response.json()) as ProblemBody).code).toBe('ORDERS.IDEMPOTENCY_KEY_REQUIRED');
    expect(await shop.stockOf(product.id)).toBe(5);
  });

  it('creates one order for concurrent requests with one key, and answers each with it', async () => {
    const customer = await shop.registerCustomer();
    const product = await shop.createProduct(50);
    const key = randomUUID();

    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        shop.placeOrder(customer.token, [{ productId: product.id, quantity: 1 }], key),
      ),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(201));
    const ids = new Set(
      await Promise.all(responses.map(async (r) => ((await r.json()) as OrderBody).id)),
    );
    expect(ids.size).toBe(1);
    const listed = (await (await shop.request(customer.token, '/v1/orders')).json()) as {
      items: OrderBody[];
    };
    expect(listed.items.map((order) => order.id)).toEqual([...ids]);
    expect(await shop.stockOf(product.id)).toBe(49);
  });

  it("hides another customer's order behind 404, for reading and cancelling alike", async () => {
    const owner = await shop.registerCustomer('owner');
    const stranger = await shop.registerCustomer('stranger');
    const product = await shop.createProduct(5);
    const placed = (await (
      await shop.placeOrder(owner.token, [{ productId: product.id, quantity: 1 }])
    ).json()) as OrderBody;

    const read = await shop.request(stranger.token, `/v1/orders/${placed.id}`);
    const cancel = await shop.request(stranger.token, `/v1/orders/${placed.id}/cancel`, {
      method: 'POST',
    });

    expect(read.status).toBe(404);
    expect(((await read.json()) as ProblemBody).code).toBe('ORDERS.ORDER_NOT_FOUND');
    expect(cancel.status).toBe(404);
    expect((await shop.getOrder(owner.token, placed.id)).status).toBe('pending_payment');
    expect((await shop.getOrder(shop.adminToken, placed.id)).id).toBe(placed.id);
    const strangersList = (await (await shop.request(stranger.token, '/v1/orders')).json()) as {
      items: OrderBody[];
    };
    expect(strangersList.items).toEqual([]);
  });

  it('refuses to ship an order that is not paid, with 409 and its current state', async () => {
    const customer = await shop.registerCustomer();
    const product = await shop.createProduct(5);
    const placed = (await (
      await shop.placeOrder(customer.token, [{ productId: product.id, quantity: 1 }])
    ).json()) as OrderBody;

    const response = await shop.request(shop.adminToken, `/v1/orders/${placed.id}/ship`, {
      method: 'POST',
    });

    expect(response.status).toBe(409);
    expect((await response.json()) as ProblemBody).toMatchObject({
      code: 'ORDERS.ILLEGAL_TRANSITION',
      currentStatus: 'pending_payment',
      detail: 'cannot ship an order that is pending_payment',
    });
  });

  it('lets the customer cancel a pending order once: its stock comes back, a second cancel is 409', async () => {
    const customer = await shop.registerCustomer();
    const product = await shop.createProduct(5);
    const placed = (await (
      await shop.placeOrder(customer.token, [{ productId: product.id, quantity: 2 }])
    ).json()) as OrderBody;
    expect(await shop.stockOf(product.id)).toBe(3);

    const cancel = await shop.request(customer.token, `/v1/orders/${placed.id}/cancel`, {
      method: 'POST',
    });
    expect(cancel.status).toBe(200);
    expect((await cancel.json()) as OrderBody).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'cancelled_by_customer',
    });
    await shop.stockEventually(product.id, 5);

    const again = await shop.request(customer.token, `/v1/orders/${placed.id}/cancel`, {
      method: 'POST',
    });
    expect(again.status).toBe(409);
    expect(((await again.json()) as ProblemBody).currentStatus).toBe('cancelled');
  });

  it('answers unknown products with 422 and their ids, and a shortage with 409 and the short lines only', async () => {
    const customer = await shop.registerCustomer();
    const product = await shop.createProduct(1);
    const unknown = randomUUID();

    const unavailable = await shop.placeOrder(customer.token, [
      { productId: unknown, quantity: 1 },
    ]);
    expect(unavailable.status).toBe(422);
    expect((await unavailable.json()) as ProblemBody).toMatchObject({
      code: 'ORDERS.PRODUCTS_UNAVAILABLE',
      productIds: [unknown],
    });

    const short = await shop.placeOrder(customer.token, [{ productId: product.id, quantity: 2 }]);
    expect(short.status).toBe(409);
    const shortage = await short.text();
    expect(JSON.parse(shortage) as ProblemBody).toMatchObject({
      code: 'ORDERS.OUT_OF_STOCK',
      productIds: [product.id],
      shortages: [{ productId: product.id, requested: 2 }],
    });
    // Which lines are short, never how many units are left (1 here): stock levels stay private.
    expect(shortage).not.toMatch(/available/);
    expect(JSON.parse(shortage)).not.toHaveProperty('shortages.0.available');
    expect(await shop.stockOf(product.id)).toBe(1);
  });

  it('sells the last unit exactly once to 20 concurrent orders; stock never goes below zero', async () => {
    const product = await shop.createProduct(1);
    const customers = await Promise.all(
      Array.from({ length: 20 }, (_, index) => shop.registerCustomer(`racer-${index}`)),
    );

    const observedStock: number[] = [];
    let racing = true;
    const watcher = (async () => {
      while (racing) observedStock.push(await shop.stockOf(product.id));
    })();
    const responses = await Promise.all(
      customers.map((customer) =>
        shop.placeOrder(customer.token, [{ productId: product.id, quantity: 1 }]),
      ),
    );
    racing = false;
    await watcher;

    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(19).fill(409)]);
    const refusals = await Promise.all(
      responses
        .filter((response) => response.status === 409)
        .map(async (response) => ((await response.json()) as ProblemBody).code),
    );
    expect(new Set(refusals)).toEqual(new Set(['ORDERS.OUT_OF_STOCK']));
    expect(await shop.stockOf(product.id)).toBe(0);
    expect(observedStock.every((stock) => stock >= 0)).toBe(true);
  });

  it('lists the caller’s own orders newest first, and every order for an admin', async () => {
    const customer = await shop.registerCustomer();
    const product = await shop.createProduct(10);
    const placed: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const response = await shop.placeOrder(customer.token, [
        { productId: product.id, quantity: 1 },
      ]);
      placed.push(((await response.json()) as OrderBody).id);
    }

    const firstPage = (await (await shop.request(customer.token, '/v1/orders?limit=2')).json()) as {
      items: OrderBody[];
      nextCursor: string | null;
    };
    const secondPage = (await (
      await shop.request(
        customer.token,
        `/v1/orders?limit=2&cursor=${encodeURIComponent(firstPage.nextCursor ?? '')}`,
      )
    ).json()) as { items: OrderBody[]; nextCursor: string | null };

    expect([...firstPage.items, ...secondPage.items].map((order) => order.id)).toEqual(
      [...placed].reverse(),
    );
    expect(secondPage.nextCursor).toBeNull();

    const adminPage = (await (
      await shop.request(shop.adminToken, '/v1/orders?limit=100')
    ).json()) as {
      items: OrderBody[];
    };
    const customers = new Set(adminPage.items.map((order) => order.customerId));
    expect(customers.has(customer.id)).toBe(true);
    expect(customers.size).toBeGreaterThan(1);
  });
});
