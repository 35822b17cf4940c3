import { SPLIT_APPS, type SplitApp } from '../../scripts/split-stack/split-stack.js';
import type { SplitStack } from '../support/split-stack.js';
import { type Customer, eventually, Shop } from './orders-shop.js';

// Runs in the e2e-split jest project only (the e2e project ignores test/e2e/split-*): it stops
// and restarts single apps of the split stack, which the monolith does not have.

/** The route of each app through the gateway, and a request it must answer while it is up. */
const ROUTE_OF: Record<SplitApp, string> = {
  identity: '/.well-known/jwks.json',
  catalog: '/v1/products',
  orders: '/v1/orders',
  payments: '/v1/payments',
  notifications: '/v1/notifications',
};

async function readiness(stack: SplitStack, app: SplitApp): Promise<number> {
  const response = await fetch(`${stack.urlOf(app)}/health/ready`);
  await response.arrayBuffer();
  return response.status;
}

describe('split mode: one app down', () => {
  let shop: Shop;
  let stack: SplitStack;
  let customer: Customer;

  beforeAll(async () => {
    shop = await Shop.open();
    if (!('stopApp' in shop.app)) throw new Error('this suite needs the split stack (e2e-split)');
    stack = shop.app as SplitStack;
    customer = await shop.registerCustomer('outage');
  });

  afterAll(async () => {
    await shop?.close();
  });

  it('keeps identity and orders answering while catalog is down: an order is accepted awaiting stock and ends paid once catalog is back', async () => {
    const product = await shop.createProduct(5);
    await stack.stopApp('catalog');

    const listing = await shop.request(undefined, '/v1/products');
    expect(listing.status).toBe(503);
    expect(listing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await listing.json()).toMatchObject({ status: 503, dependency: 'catalog' });

    // Identity still issues tokens through the gateway; orders stays ready without catalog.
    await expect(shop.registerCustomer('while-catalog-down')).resolves.toMatchObject({
      token: expect.any(String),
    });
    expect(await readiness(stack, 'orders')).toBe(200);

    // The order is accepted all the same, not priced yet: the catalog gave no answer.
    const accepted = await shop.placeOrder(customer.token, [
      { productId: product.id, quantity: 2 },
    ]);
    expect(accepted.status).toBe(202);
    const order = (await accepted.json()) as {
      id: string;
      status: string;
      lines: unknown[];
      requestedItems: unknown[];
    };
    expect(accepted.headers.get('location')).toBe(`/v1/orders/${order.id}`);
    expect(order).toMatchObject({
      status: 'awaiting_stock',
      lines: [],
      requestedItems: [{ productId: product.id, quantity: 2 }],
    });

    await stack.restartApp('catalog');
    // Once catalog answers, the stock confirmer reserves and prices it; payment follows as usual.
    // Its pause between tries may have grown to the 30 s maximum while catalog was down.
    const paid = await eventually(
      () => shop.getOrder(customer.token, order.id),
      (current) => current.status === 'paid',
      { what: `order ${order.id} to be paid`, timeoutMs: 60_000, app: stack },
    );
    expect(paid).toMatchObject({
      currency: 'EUR',
      lines: [{ productId: product.id, quantity: 2 }],
    });
    // Reserved once, though catalog may also have served the request left in its queue.
    expect(await shop.stockOf(product.id)).toBe(3);
  });

  it.each(SPLIT_APPS.map((app) => [app]))(
    'leaves every other app ready and answering through the gateway while %s is down',
    async (stopped) => {
      await stack.stopApp(stopped);
      try {
        const down = await fetch(`${stack.baseUrl}${ROUTE_OF[stopped]}`);
        expect({ stopped, status: down.status, body: await down.json() }).toMatchObject({
          stopped,
          status: 503,
          body: { dependency: stopped },
        });
        for (const other of SPLIT_APPS.filter((app) => app !== stopped)) {
          expect({ other, ready: await readiness(stack, other) }).toEqual({ other, ready: 200 });
          const answer = await shop.request(customer.token, ROUTE_OF[other]);
          await answer.arrayBuffer();
          // Up and answering: whatever the route says to this caller, it is no 5xx.
          expect({ other, unavailable: answer.status >= 500 }).toEqual({
            other,
            unavailable: false,
          });
        }
      } finally {
        await stack.restartApp(stopped);
      }
    },
  );
});
