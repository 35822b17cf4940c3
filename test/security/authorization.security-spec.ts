import { randomUUID } from 'node:crypto';
import { uniqueEmail } from '../support/test-environment.js';
import { describeRequest, ObservedTraffic, type ObservedResponse } from './observed-traffic.js';
import {
  documentedOperations,
  modeTitle,
  openSecurityShop,
  type SecurityShop,
  recordSecurityResult,
  OPEN_SHOP_BUDGET_MS,
} from './security-shop.js';

// Suite 12 (issue 9): one customer going after another's resources on every route with an id,
// a customer on every admin route, mass-assignment fields on every write, and a scan of every
// JSON body the suite receives for secrets.

const PASSWORD = 'tangerine-bicycle-42';
type Access = 'public' | 'customer' | 'admin';

/**
 * Who may call each operation the app documents. The test fails when the document lists an
 * operation missing here, so a new route must be placed before the suite passes again.
 */
const ACCESS: Record<string, Access> = {
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'GET /health': 'public',
  'GET /health/backlog': 'public',
  'GET /.well-known/jwks.json': 'public',
  'POST /v1/users': 'public',
  'POST /v1/auth/token': 'public',
  'POST /v1/auth/revoke': 'public',
  'GET /v1/products': 'public',
  'GET /v1/products/{id}': 'public',
  'GET /v1/users/me': 'customer',
  'DELETE /v1/users/me': 'customer',
  'GET /v1/payments': 'customer',
  'POST /v1/orders': 'customer',
  'GET /v1/orders': 'customer',
  'GET /v1/orders/{id}': 'customer',
  'POST /v1/orders/{id}/cancel': 'customer',
  'GET /v1/notifications': 'customer',
  'GET /v1/users': 'admin',
  'PATCH /v1/users/{id}/roles': 'admin',
  'DELETE /v1/users/{id}': 'admin',
  'POST /v1/products': 'admin',
  'PATCH /v1/products/{id}': 'admin',
  'DELETE /v1/products/{id}': 'admin',
  'POST /v1/orders/{id}/ship': 'admin',
  'GET /v1/notifications/failed-jobs': 'admin',
};

/** Fields a client must not be able to set; each write below carries all of them. */
const MASS_ASSIGNMENT = {
  id: '00000000-0000-4000-8000-0000000000aa',
  role: 'admin',
  roles: ['admin'],
  isAdmin: true,
  customerId: '00000000-0000-4000-8000-0000000000bb',
  status: 'shipped',
  total: 1,
  unitPrice: 1,
  price: { amountMinor: 1, currency: 'EUR' },
  passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g',
  version: 999,
  createdAt: '2000-01-01T00:00:00.000Z',
  paymentId: '00000000-0000-4000-8000-0000000000cc',
};

describe(`authorization (${modeTitle()})`, () => {
  let cast: SecurityShop;
  let traffic: ObservedTraffic;
  const verdicts: string[] = [];

  beforeAll(async () => {
    cast = await openSecurityShop();
    traffic = new ObservedTraffic(cast.shop.app.baseUrl);
  }, OPEN_SHOP_BUDGET_MS);

  afterAll(async () => {
    await cast?.shop.close();
    recordSecurityResult(
      12,
      'Authorization',
      [
        'A customer after another customer’s order, its cancellation, payments and ' +
          'notifications and their account; a customer on every admin operation of the ' +
          'document; mass-assignment fields (id, roles, customerId, status, prices, ' +
          'passwordHash, version...) on every write; every JSON body of the suite scanned for ' +
          'password hashes, private key material, token hashes and stack traces.',
        '',
        ...verdicts,
        traffic?.summary() ?? '',
        `- secrets found: ${traffic?.secretsSeen().length ?? 'n/a'}`,
      ].join('\n'),
    );
  });

  const call = (
    token: string | undefined,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<ObservedResponse> =>
    traffic.send({
      method,
      path,
      headers: {
        ...(token !== undefined && { authorization: `Bearer ${token}` }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        'idempotency-key': randomUUID(),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  /** A failure names the request and the answer. */
  const outcome = (answer: ObservedResponse): string =>
    `${describeRequest(answer.request)}\n=> ${answer.status} ${answer.text.slice(0, 300)}`;

  it('knows who may call every operation the app documents', async () => {
    const documented = (await documentedOperations(cast.shop.app)).map(
      (operation) => `${operation.method} ${operation.pathTemplate}`,
    );
    expect(documented.filter((operation) => !(operation in ACCESS))).toEqual([]);
  });

  it("keeps one customer away from another's order, its payments and notifications", async () => {
    const { attacker, victim, victimOrder } = cast;
    const answers = {
      read: await call(attacker.token, 'GET', `/v1/orders/${victimOrder.id}`),
      cancel: await call(attacker.token, 'POST', `/v1/orders/${victimOrder.id}/cancel`),
      payments: await call(attacker.token, 'GET', `/v1/payments?orderId=${victimOrder.id}`),
      orders: await call(attacker.token, 'GET', '/v1/orders?limit=100'),
      notifications: await call(attacker.token, 'GET', '/v1/notifications?limit=100'),
    };

    // Someone else's order does not exist for the caller: 404, as for an unknown id.
    expect(outcome(answers.read)).toMatch(/=> 404 .*ORDERS\.ORDER_NOT_FOUND/);
    expect(outcome(answers.cancel)).toMatch(/=> 404 .*ORDERS\.ORDER_NOT_FOUND/);
    // Payments answer an empty list for an order that is not the caller's (documented).
    expect(outcome(answers.payments)).toMatch(/=> 200 /);
    expect(JSON.parse(answers.payments.text)).toEqual({ items: [] });
    for (const listing of [answers.orders, answers.notifications]) {
      expect(outcome(listing)).toMatch(/=> 200 /);
      expect(listing.text).not.toContain(victimOrder.id);
      expect(listing.text).not.toContain(victim.id);
    }
    // The victim's order was not cancelled by the attempt.
    expect((await cast.shop.getOrder(victim.token, victimOrder.id)).status).not.toBe('cancelled');
    verdicts.push(
      "- another customer's order: read and cancel 404, payments empty, absent from the " +
        "attacker's order and notification lists; the order is untouched",
    );
  });

  it('refuses a customer every admin operation with 403 problem+json, changing nothing', async () => {
    const { attacker, victim, product, attackerOrder } = cast;
    const ids: Record<string, string> = {
      '/v1/users/{id}/roles': attacker.id,
      '/v1/users/{id}': victim.id,
      '/v1/products/{id}': product.id,
      '/v1/orders/{id}/ship': attackerOrder.id,
    };
    const bodies: Record<string, unknown> = {
      'PATCH /v1/users/{id}/roles': { roles: ['customer', 'admin'] },
      'POST /v1/products': {
        sku: `AUTHZ-${randomUUID().slice(0, 8)}`,
        name: 'Not yours',
        price: { amountMinor: 1, currency: 'EUR' },
        stock: 1,
      },
      'PATCH /v1/products/{id}': { version: 1, price: { amountMinor: 1, currency: 'EUR' } },
    };
    const admin = Object.entries(ACCESS).filter(([, access]) => access === 'admin');
    for (const [operation] of admin) {
      const [method, template] = operation.split(' ');
      const path = template.replace('{id}', ids[template] ?? '');
      const answer = await call(attacker.token, method, path, bodies[operation]);
      expect(outcome(answer)).toMatch(/=> 403 /);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    // Nothing the attempts asked for happened.
    expect(await cast.shop.stockOf(product.id)).toBeGreaterThan(0);
    const me = await call(attacker.token, 'GET', '/v1/users/me');
    expect(JSON.parse(me.text)).toMatchObject({ roles: ['customer'] });
    expect(victim.id).not.toBe(attacker.id);
    expect((await call(victim.token, 'GET', '/v1/users/me')).status).toBe(200);
    verdicts.push(`- all ${admin.length} admin operations as a customer: 403 problem+json`);
  });

  it('ignores or refuses mass-assigned fields on registration', async () => {
    const email = uniqueEmail('mass');
    const answer = await call(undefined, 'POST', '/v1/users', {
      ...MASS_ASSIGNMENT,
      email,
      password: PASSWORD,
    });
    if (answer.status === 201) {
      const user = JSON.parse(answer.text) as { id: string; roles: string[] };
      expect(user.id).not.toBe(MASS_ASSIGNMENT.id);
      expect(user.roles).toEqual(['customer']);
    } else {
      expect(outcome(answer)).toMatch(/=> 400 /);
    }
    verdicts.push(`- registration with extra fields: ${answer.status}, no role or id taken`);
  });

  it('ignores or refuses mass-assigned fields on an order: the caller, status and prices are the shop’s', async () => {
    const { attacker, victim, product } = cast;
    const answer = await call(attacker.token, 'POST', '/v1/orders', {
      ...MASS_ASSIGNMENT,
      customerId: victim.id,
      items: [{ productId: product.id, quantity: 2, unitPrice: 1, price: 1 }],
    });
    if (answer.status === 201) {
      const order = JSON.parse(answer.text) as {
        customerId: string;
        status: string;
        total: number;
      };
      expect(order.customerId).toBe(attacker.id);
      expect(order.status).toBe('pending_payment');
      expect(order.total).toBe(2 * product.price.amountMinor);
    } else {
      expect(outcome(answer)).toMatch(/=> 400 /);
    }
    verdicts.push(
      `- an order with extra fields: ${answer.status}, no caller, status or price taken`,
    );
  });

  it('ignores or refuses mass-assigned fields on admin writes and role changes', async () => {
    const { shop, product, attacker } = cast;
    const created = await call(shop.adminToken, 'POST', '/v1/products', {
      ...MASS_ASSIGNMENT,
      sku: `MASS-${randomUUID().slice(0, 8)}`,
      name: 'Mass assignment mug',
      price: { amountMinor: 500, currency: 'EUR' },
      stock: 3,
    });
    if (created.status === 201) {
      expect(JSON.parse(created.text)).toMatchObject({ version: 1 });
      expect(JSON.parse(created.text)).not.toMatchObject({ id: MASS_ASSIGNMENT.id });
    } else {
      expect(outcome(created)).toMatch(/=> 400 /);
    }
    const edited = await call(shop.adminToken, 'PATCH', `/v1/products/${product.id}`, {
      version: 1,
      id: MASS_ASSIGNMENT.id,
      sku: 'TAKEN-OVER',
      createdAt: MASS_ASSIGNMENT.createdAt,
    });
    if (edited.status === 200) {
      expect(JSON.parse(edited.text)).toMatchObject({ id: product.id, sku: product.sku });
    } else {
      expect(outcome(edited)).toMatch(/=> (400|409) /);
    }
    const roles = await call(shop.adminToken, 'PATCH', `/v1/users/${attacker.id}/roles`, {
      roles: ['customer'],
      id: MASS_ASSIGNMENT.id,
      passwordHash: MASS_ASSIGNMENT.passwordHash,
    });
    if (roles.status === 200) {
      expect(JSON.parse(roles.text)).toMatchObject({ id: attacker.id, roles: ['customer'] });
    } else {
      expect(outcome(roles)).toMatch(/=> 400 /);
    }
    verdicts.push(
      `- admin writes with extra fields: product create ${created.status}, edit ${edited.status}, ` +
        `role change ${roles.status}; none took an id, sku, date or hash`,
    );
  });

  it('leaks no secret in any JSON body: user lists, tokens, keys, errors', async () => {
    const { shop, victim } = cast;
    await call(shop.adminToken, 'GET', '/v1/users?limit=100');
    await call(victim.token, 'GET', '/v1/users/me');
    await call(undefined, 'GET', '/.well-known/jwks.json');
    await call(undefined, 'GET', '/v1/products?limit=5');
    await call(undefined, 'POST', '/v1/users', { email: 'not-an-email', password: 'x' });
    await traffic.send({
      method: 'POST',
      path: '/v1/auth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&username=nobody%40example.test&password=wrong-password-1',
    });
    await call(shop.adminToken, 'GET', '/v1/notifications/failed-jobs');
    await call(shop.adminToken, 'GET', '/v1/orders?limit=100');
    await call(victim.token, 'GET', `/v1/payments?orderId=${cast.victimOrder.id}`);
    expect(traffic.secretsSeen()).toEqual([]);
    verdicts.push(`- JSON bodies scanned for secrets: ${traffic.count()}, secrets found: 0`);
  });
});
