import { randomUUID } from 'node:crypto';
import { OpenApiContract } from '../support/openapi-contract.js';
import { uniqueEmail } from '../support/test-environment.js';
import {
  type Customer,
  eventually,
  type OrderBody,
  type ProductBody,
  Shop,
} from './orders-shop.js';

const PASSWORD = 'tangerine-bicycle-42';
const LOGIN_FAILURES_ALLOWED = 2;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

interface Call {
  /** The document's path template, e.g. `/v1/orders/{id}`. */
  readonly path: string;
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly method?: string;
  readonly token?: string;
  readonly json?: unknown;
  readonly form?: Record<string, string>;
  readonly headers?: Record<string, string>;
}

/**
 * Every operation of docs/contracts/openapi.json against the running monolith, with its error
 * answers: each answer's status must be documented for its operation, and its content type,
 * body and headers must match the document. The last test checks that every operation ran.
 */
describe('the REST API answers as docs/contracts/openapi.json says', () => {
  const contract = new OpenApiContract();
  let shop: Shop;
  let customer: Customer;
  let product: ProductBody;

  beforeAll(async () => {
    shop = await Shop.open({ LOGIN_THROTTLE_LIMIT_PER_ACCOUNT: String(LOGIN_FAILURES_ALLOWED) });
    customer = await shop.registerCustomer('contract');
    product = await shop.createProduct(50, 990);
  });
  afterAll(async () => {
    await shop?.close();
  });

  /** Sends the call, checks the answer against the document and returns its status and body. */
  async function call(
    expectedStatus: number,
    { path, params = {}, query, method = 'GET', token, json, form, headers = {} }: Call,
  ): Promise<{ body: unknown; headers: Headers }> {
    const url = new URL(
      path.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(params[name] ?? '')),
      shop.app.baseUrl,
    );
    for (const [name, value] of Object.entries(query ?? {})) url.searchParams.set(name, value);
    const response = await fetch(url, {
      method,
      headers: {
        ...(token !== undefined && { authorization: `Bearer ${token}` }),
        ...(json !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      body: form
        ? new URLSearchParams(form)
        : json === undefined
          ? undefined
          : JSON.stringify(json),
    });
    const copy = response.clone();
    expect(await contract.check(method, path, response)).toEqual([]);
    expect(`${method} ${path} -> ${copy.status}`).toBe(`${method} ${path} -> ${expectedStatus}`);
    const text = await copy.text();
    return { body: text ? (JSON.parse(text) as unknown) : undefined, headers: copy.headers };
  }

  describe('health and keys', () => {
    it.each(['/health/live', '/health/ready', '/health'])('%s answers 200', async (path) => {
      await call(200, { path });
    });

    it('/health/backlog answers as documented', async () => {
      const response = await fetch(`${shop.app.baseUrl}/health/backlog`);
      expect(await contract.check('GET', '/health/backlog', response)).toEqual([]);
    });

    it('publishes the JWKS', async () => {
      const { body } = await call(200, { path: '/.well-known/jwks.json' });
      expect((body as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
    });
  });

  describe('users and tokens', () => {
    it('registers, refuses a bad email and a taken one', async () => {
      const email = uniqueEmail('contract-user');
      await call(201, { path: '/v1/users', method: 'POST', json: { email, password: PASSWORD } });
      await call(400, {
        path: '/v1/users',
        method: 'POST',
        json: { email: 'not-an-email', password: PASSWORD },
      });
      await call(409, { path: '/v1/users', method: 'POST', json: { email, password: PASSWORD } });
    });

    it('refuses a body that is not JSON with 415', async () => {
      await call(415, {
        path: '/v1/users',
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        form: { email: 'a' },
      });
    });

    it('reads the caller, and refuses without a token', async () => {
      await call(200, { path: '/v1/users/me', token: customer.token });
      await call(401, { path: '/v1/users/me' });
    });

    it('lists users for an admin only, and refuses a bad limit', async () => {
      await call(200, { path: '/v1/users', token: shop.adminToken, query: { limit: '5' } });
      await call(400, { path: '/v1/users', token: shop.adminToken, query: { limit: '0' } });
      await call(403, { path: '/v1/users', token: customer.token });
      await call(401, { path: '/v1/users' });
    });

    it("changes a user's roles, with its 400, 403, 404 and 422", async () => {
      const other = await shop.registerCustomer('contract-roles');
      const me = (await call(200, { path: '/v1/users/me', token: shop.adminToken })).body as {
        id: string;
      };
      const change = (id: string, token = shop.adminToken): Call => ({
        path: '/v1/users/{id}/roles',
        method: 'PATCH',
        params: { id },
        token,
        json: { roles: ['customer'] },
      });
      await call(200, change(other.id));
      await call(400, change('nope'));
      await call(404, change(UNKNOWN_ID));
      await call(403, change(other.id, customer.token));
      await call(422, change(me.id));
    });

    it("deletes accounts, the caller's own and (admin) any, with 400, 401, 403 and 404", async () => {
      const leaving = await shop.registerCustomer('contract-leaving');
      const deleteMe = { path: '/v1/users/me', method: 'DELETE', token: leaving.token };
      await call(204, deleteMe);
      // The token outlives the account no longer: it is revoked in every app.
      await call(401, deleteMe);
      await call(401, { path: '/v1/users/me', method: 'DELETE' });

      const removed = await shop.registerCustomer('contract-removed');
      const deleteUser = (id: string, token = shop.adminToken): Call => ({
        path: '/v1/users/{id}',
        method: 'DELETE',
        params: { id },
        token,
      });
      await call(403, deleteUser(removed.id, customer.token));
      await call(400, deleteUser('nope'));
      await call(204, deleteUser(removed.id));
      await call(404, deleteUser(removed.id));
      await call(401, { ...deleteUser(removed.id), token: undefined });
    });

    it('issues, refreshes and revokes tokens with OAuth error bodies', async () => {
      const email = uniqueEmail('contract-oauth');
      await call(201, { path: '/v1/users', method: 'POST', json: { email, password: PASSWORD } });
      const path = '/v1/auth/token';
      const issued = await call(200, {
        path,
        method: 'POST',
        form: { grant_type: 'password', username: email, password: PASSWORD },
      });
      const refreshToken = (issued.body as { refresh_token: string }).refresh_token;
      await call(200, {
        path,
        method: 'POST',
        form: { grant_type: 'refresh_token', refresh_token: refreshToken },
      });
      await call(400, { path, method: 'POST', form: { grant_type: 'client_credentials' } });
      await call(200, { path: '/v1/auth/revoke', method: 'POST', form: { token: refreshToken } });
      await call(400, { path: '/v1/auth/revoke', method: 'POST', form: {} });
    });

    it('limits failed logins per account with 429 and Retry-After', async () => {
      const email = uniqueEmail('contract-guesser');
      await call(201, { path: '/v1/users', method: 'POST', json: { email, password: PASSWORD } });
      const wrong = { grant_type: 'password', username: email, password: 'wrong-password-99' };
      for (let failure = 0; failure < LOGIN_FAILURES_ALLOWED; failure += 1) {
        await call(400, { path: '/v1/auth/token', method: 'POST', form: wrong });
      }
      const limited = await call(429, { path: '/v1/auth/token', method: 'POST', form: wrong });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  });

  describe('products', () => {
    it('lists products, and refuses a cursor it did not write', async () => {
      await call(200, { path: '/v1/products', query: { limit: '2' } });
      await call(400, { path: '/v1/products', query: { cursor: 'not-a-cursor' } });
    });

    it('reads a product with its ETag, and answers 304 while it is unchanged', async () => {
      const path = '/v1/products/{id}';
      const read = await call(200, { path, params: { id: product.id } });
      const etag = read.headers.get('etag') ?? '';
      expect(etag).not.toBe('');
      await call(304, { path, params: { id: product.id }, headers: { 'if-none-match': etag } });
      await call(404, { path, params: { id: UNKNOWN_ID } });
      await call(400, { path, params: { id: 'not-a-uuid' } });
    });

    it('creates, edits and takes off sale, with their 400, 401, 403, 404 and 409', async () => {
      const created = (await shop.createProduct(3)) as ProductBody & { version: number };
      const body = {
        sku: created.sku,
        name: 'Duplicate',
        price: { amountMinor: 100, currency: 'EUR' },
        stock: 1,
      };
      await call(409, { path: '/v1/products', method: 'POST', token: shop.adminToken, json: body });
      await call(400, {
        path: '/v1/products',
        method: 'POST',
        token: shop.adminToken,
        json: { ...body, stock: -1 },
      });
      await call(403, { path: '/v1/products', method: 'POST', token: customer.token, json: body });
      await call(401, { path: '/v1/products', method: 'POST', json: body });
      await call(201, {
        path: '/v1/products',
        method: 'POST',
        token: shop.adminToken,
        json: { ...body, sku: `CONTRACT-${randomUUID().slice(0, 8)}` },
      });

      const path = '/v1/products/{id}';
      const params = { id: created.id };
      const edited = await call(200, {
        path,
        method: 'PATCH',
        params,
        token: shop.adminToken,
        json: { version: created.version, stock: 7 },
      });
      expect((edited.body as { stock: number }).stock).toBe(7);
      await call(409, {
        path,
        method: 'PATCH',
        params,
        token: shop.adminToken,
        json: { version: created.version, stock: 8 },
      });
      await call(400, {
        path,
        method: 'PATCH',
        params,
        token: shop.adminToken,
        json: { stock: 8 },
      });
      await call(404, {
        path,
        method: 'PATCH',
        params: { id: UNKNOWN_ID },
        token: shop.adminToken,
        json: { version: 1 },
      });
      await call(204, { path, method: 'DELETE', params, token: shop.adminToken });
      await call(404, {
        path,
        method: 'DELETE',
        params: { id: UNKNOWN_ID },
        token: shop.adminToken,
      });
    });
  });

  describe('orders, payments and notifications', () => {
    const placeOrder = (expected: number, items: unknown, key: string | null = randomUUID()) =>
      call(expected, {
        path: '/v1/orders',
        method: 'POST',
        token: customer.token,
        json: { items },
        headers: key === null ? {} : { 'idempotency-key': key },
      });
    const placeOne = async (): Promise<OrderBody> =>
      (await placeOrder(201, [{ productId: product.id, quantity: 1 }])).body as OrderBody;

    it('places orders, with their 400, 401, 409 and 422', async () => {
      await placeOne();
      await placeOrder(400, [{ productId: product.id, quantity: 1 }], null);
      await placeOrder(409, [{ productId: product.id, quantity: 10_000 }]);
      await placeOrder(422, [{ productId: UNKNOWN_ID, quantity: 1 }]);
      await call(401, { path: '/v1/orders', method: 'POST', json: { items: [] } });
    });

    it('lists and reads orders, with their 400 and 404', async () => {
      await call(200, { path: '/v1/orders', token: customer.token });
      await call(400, { path: '/v1/orders', token: customer.token, query: { cursor: 'nonsense' } });
      const read = { path: '/v1/orders/{id}', token: customer.token };
      await call(200, { ...read, params: { id: (await placeOne()).id } });
      await call(404, { ...read, params: { id: UNKNOWN_ID } });
    });

    it('cancels an order once, then answers 409', async () => {
      const params = { id: (await placeOne()).id };
      const cancel = {
        path: '/v1/orders/{id}/cancel',
        method: 'POST',
        params,
        token: customer.token,
      };
      await call(200, cancel);
      await call(409, cancel);
    });

    it("ships a paid order (admin), and lists the order's payments", async () => {
      const placed = await placeOne();
      const params = { id: placed.id };
      await call(403, {
        path: '/v1/orders/{id}/ship',
        method: 'POST',
        params,
        token: customer.token,
      });
      await shop.orderEventually(
        customer.token,
        placed.id,
        (order) => order.status === 'paid',
        'the order to be paid',
      );
      await call(200, {
        path: '/v1/orders/{id}/ship',
        method: 'POST',
        params,
        token: shop.adminToken,
      });
      await call(409, {
        path: '/v1/orders/{id}/ship',
        method: 'POST',
        params,
        token: shop.adminToken,
      });

      const payments = await call(200, {
        path: '/v1/payments',
        query: { orderId: placed.id },
        token: customer.token,
      });
      expect((payments.body as { items: unknown[] }).items.length).toBeGreaterThan(0);
      await call(400, { path: '/v1/payments', query: { orderId: 'nope' }, token: customer.token });
    });

    it('lists notifications, and dead delivery jobs for admins only', async () => {
      await eventually(
        async () => {
          const response = await shop.request(customer.token, '/v1/notifications');
          return ((await response.json()) as { items: unknown[] }).items.length;
        },
        (count) => count > 0,
        { what: 'a notification for the customer', app: shop.app },
      );
      await call(200, { path: '/v1/notifications', token: customer.token });
      await call(400, {
        path: '/v1/notifications',
        token: customer.token,
        query: { limit: '1000' },
      });
      await call(200, { path: '/v1/notifications/failed-jobs', token: shop.adminToken });
      await call(403, { path: '/v1/notifications/failed-jobs', token: customer.token });
    });
  });

  it('would fail an undocumented status, a body off the schema and a missing request id', async () => {
    const strict = new OpenApiContract();
    const json = { 'content-type': 'application/json', 'x-request-id': 'r-1' };
    const teapot = new Response('{}', { status: 418, headers: json });
    expect(await strict.check('GET', '/v1/products', teapot)).toEqual([
      expect.stringContaining('listProducts 418: status not documented'),
    ]);
    const offSchema = new Response(JSON.stringify({ items: [{ id: 1 }], nextCursor: null }), {
      status: 200,
      headers: json,
    });
    expect(await strict.check('GET', '/v1/products', offSchema)).toEqual([
      expect.stringContaining('listProducts 200: body does not match the document'),
    ]);
    const anonymous = new Response(null, { status: 204 });
    expect(await strict.check('DELETE', '/v1/products/{id}', anonymous)).toEqual([
      'deactivateProduct 204: documented header x-request-id is missing',
    ]);
  });

  it('exercised every operation of the document', () => {
    const missing = contract.operationIds().filter((id) => !contract.coverage().has(id));
    expect(missing).toEqual([]);
  });
});
