import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { type RunningApp, startApp } from '../support/app-process.js';
import { TEST_REDIS_URL, uniqueEmail } from '../support/test-environment.js';

const ADMIN_PASSWORD = 'Bootstrap-admin-2026!';
const PASSWORD = 'tangerine-bicycle-42';

interface ProductBody {
  id: string;
  sku: string;
  name: string;
  description: string;
  price: { amountMinor: number; currency: string };
  stock: number;
  active: boolean;
  version: number;
}
interface ProductPage {
  items: ProductBody[];
  nextCursor: string | null;
}

/** A word only this run's products contain, so searches see nothing of other suites. */
const uniqueWord = (): string =>
  `zq${randomBytes(6)
    .toString('hex')
    .replace(/[0-9]/g, (digit) => 'abcdefghij'[Number(digit)])}`;

describe('catalog over HTTP', () => {
  const adminEmail = uniqueEmail('catalog-admin');
  const word = uniqueWord();
  let app: RunningApp;
  let redis: Redis;
  let adminToken: string;
  let customerToken: string;

  const form = (fields: Record<string, string>) =>
    fetch(`${app.baseUrl}/v1/auth/token`, { method: 'POST', body: new URLSearchParams(fields) });

  const call = (
    path: string,
    init: {
      method?: string;
      body?: unknown;
      token?: string;
      headers?: Record<string, string>;
    } = {},
  ) =>
    fetch(`${app.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.token && { authorization: `Bearer ${init.token}` }),
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  async function createProduct(fields: Partial<ProductBody> & { amount?: number } = {}) {
    const response = await call('/v1/products', {
      method: 'POST',
      token: adminToken,
      body: {
        sku: fields.sku ?? `E2E-${randomBytes(5).toString('hex')}`,
        name: fields.name ?? `Mug ${word}`,
        description: fields.description ?? 'Stoneware',
        price: { amountMinor: fields.amount ?? 1299, currency: 'EUR' },
        stock: fields.stock ?? 10,
      },
    });
    expect(response.status).toBe(201);
    return { response, product: (await response.json()) as ProductBody };
  }

  beforeAll(async () => {
    redis = new Redis(TEST_REDIS_URL);
    app = await startApp({ ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD });
    // The admin is created in the background once the database is ready: wait for it to log in.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const response = await form({
        grant_type: 'password',
        username: adminEmail,
        password: ADMIN_PASSWORD,
      });
      if (response.status === 200) {
        adminToken = ((await response.json()) as { access_token: string }).access_token;
        break;
      }
      if (Date.now() > deadline) throw new Error(`no admin; logs:\n${app.logs()}`);
      await sleep(250);
    }
    const email = uniqueEmail('shopper');
    await call('/v1/users', { method: 'POST', body: { email, password: PASSWORD } });
    const login = await form({ grant_type: 'password', username: email, password: PASSWORD });
    customerToken = ((await login.json()) as { access_token: string }).access_token;
  });

  afterAll(async () => {
    await app?.stop();
    await redis?.quit();
  });

  it('lets an admin create a product, with its location and ETag', async () => {
    const { response, product } = await createProduct({
      sku: `e2e-${randomBytes(4).toString('hex')}`,
    });

    expect(product).toMatchObject({
      name: `Mug ${word}`,
      price: { amountMinor: 1299, currency: 'EUR' },
      stock: 10,
      active: true,
      version: 1,
    });
    expect(product.sku).toBe(product.sku.toUpperCase());
    expect(response.headers.get('location')).toBe(`/v1/products/${product.id}`);
    expect(response.headers.get('etag')).toBe(`"${product.id}.1"`);
  });

  it('refuses product creation to customers (403) and to anonymous callers (401)', async () => {
    const body = { sku: 'NOPE-1', name: 'x', price: { amountMinor: 1, currency: 'EUR' }, stock: 1 };
    expect(
      (await call('/v1/products', { method: 'POST', token: customerToken, body })).status,
    ).toBe(403);
    expect((await call('/v1/products', { method: 'POST', body })).status).toBe(401);
  });

  it('answers a duplicate SKU with 409 CATALOG.SKU_TAKEN', async () => {
    const { product } = await createProduct();
    const response = await call('/v1/products', {
      method: 'POST',
      token: adminToken,
      body: {
        sku: product.sku.toLowerCase(),
        name: 'Dup',
        price: { amountMinor: 1, currency: 'EUR' },
        stock: 1,
      },
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: 'CATALOG.SKU_TAKEN' });
  });

  it('lists and searches products publicly, page by page with opaque cursors', async () => {
    const listWord = uniqueWord();
    for (const [name, amount] of [
      ['Blue mugs', 1500],
      ['Red mug', 900],
      ['Green tea', 450],
      ['Tea cup', 700],
    ] as const) {
      await createProduct({ name: `${name} ${listWord}`, amount, description: 'for the shop' });
    }

    const names: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query = new URLSearchParams({
        q: `${listWord} mug`,
        sort: 'price',
        order: 'asc',
        limit: '1',
      });
      if (cursor) query.set('cursor', cursor);
      const response = await call(`/v1/products?${query.toString()}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as ProductPage;
      names.push(...page.items.map((item) => item.name));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);

    expect(names).toEqual([`Red mug ${listWord}`, `Blue mugs ${listWord}`]);

    const all = (await (
      await call(
        `/v1/products?${new URLSearchParams({ q: listWord, sort: 'name', order: 'desc' }).toString()}`,
      )
    ).json()) as ProductPage;
    expect(all.items.map((item) => item.name.split(' ')[0])).toEqual([
      'Tea',
      'Red',
      'Green',
      'Blue',
    ]);
  });

  it('refuses a cursor replayed against another sort order with 400 CATALOG.INVALID_CURSOR', async () => {
    await createProduct();
    await createProduct();
    const first = (await (
      await call(`/v1/products?q=${word}&limit=1&sort=price`)
    ).json()) as ProductPage;
    expect(first.nextCursor).not.toBeNull();

    const response = await call(
      `/v1/products?q=${word}&limit=1&sort=name&cursor=${first.nextCursor}`,
    );

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'CATALOG.INVALID_CURSOR' });
  });

  it('serves a product with ETag and Cache-Control, and 304 to a matching If-None-Match', async () => {
    const { product } = await createProduct();

    const response = await call(`/v1/products/${product.id}`);
    const etag = response.headers.get('etag');

    expect(response.status).toBe(200);
    expect(etag).toBe(`"${product.id}.1"`);
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(((await response.json()) as ProductBody).id).toBe(product.id);

    const revalidated = await call(`/v1/products/${product.id}`, {
      headers: { 'if-none-match': etag ?? '' },
    });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
  });

  it('answers an unknown product with a 404 problem', async () => {
    const response = await call(`/v1/products/${randomUUID()}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'CATALOG.PRODUCT_NOT_FOUND', status: 404 });
  });

  it('caches a product in Redis on the first read and drops it when the product is edited', async () => {
    const { product } = await createProduct();
    const key = `catalog:product:${product.id}`;
    expect(await redis.exists(key)).toBe(0);

    expect((await call(`/v1/products/${product.id}`)).status).toBe(200);
    const cached = JSON.parse((await redis.get(key)) ?? 'null') as { version: number } | null;
    expect(cached).toMatchObject({ id: product.id, version: 1 });
    expect(await redis.pttl(key)).toBeGreaterThan(0);

    const patched = await call(`/v1/products/${product.id}`, {
      method: 'PATCH',
      token: adminToken,
      headers: { 'if-match': `"${product.id}.1"` },
      body: { stock: 3, price: { amountMinor: 1499, currency: 'EUR' } },
    });
    expect(patched.status).toBe(200);
    expect(patched.headers.get('etag')).toBe(`"${product.id}.2"`);
    expect(await redis.exists(key)).toBe(0);

    const reread = (await (await call(`/v1/products/${product.id}`)).json()) as ProductBody;
    expect(reread).toMatchObject({ version: 2, stock: 3, price: { amountMinor: 1499 } });
    expect(JSON.parse((await redis.get(key)) ?? 'null')).toMatchObject({ version: 2 });
  });

  it('rejects an edit based on a stale ETag with 409 and the current version, and changes nothing', async () => {
    const { product } = await createProduct({ stock: 5 });
    const edit = (etag: string, stock: number) =>
      call(`/v1/products/${product.id}`, {
        method: 'PATCH',
        token: adminToken,
        headers: { 'if-match': etag },
        body: { stock },
      });
    expect((await edit(`"${product.id}.1"`, 6)).status).toBe(200);

    const stale = await edit(`"${product.id}.1"`, 99);

    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({
      code: 'CATALOG.VERSION_CONFLICT',
      currentVersion: 2,
      expectedVersion: 1,
    });
    const current = (await (await call(`/v1/products/${product.id}`)).json()) as ProductBody;
    expect(current).toMatchObject({ stock: 6, version: 2 });
  });

  it('accepts the version in the body instead of If-Match, and requires one of the two', async () => {
    const { product } = await createProduct();
    const patch = (body: unknown) =>
      call(`/v1/products/${product.id}`, { method: 'PATCH', token: adminToken, body });

    const missing = await patch({ name: 'No precondition' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ code: 'CATALOG.PRECONDITION_REQUIRED' });

    const applied = await patch({ version: 1, name: `Renamed ${word}` });
    expect(applied.status).toBe(200);
    expect(await applied.json()).toMatchObject({ name: `Renamed ${word}`, version: 2 });
  });

  it('deactivates a product: it then answers 404, leaves listings and the cache', async () => {
    const deactivateWord = uniqueWord();
    const { product } = await createProduct({ name: `Retired ${deactivateWord}` });
    await call(`/v1/products/${product.id}`);
    expect(await redis.exists(`catalog:product:${product.id}`)).toBe(1);

    const response = await call(`/v1/products/${product.id}`, {
      method: 'DELETE',
      token: adminToken,
    });

    expect(response.status).toBe(204);
    expect(await redis.exists(`catalog:product:${product.id}`)).toBe(0);
    expect((await call(`/v1/products/${product.id}`)).status).toBe(404);
    const page = (await (await call(`/v1/products?q=${deactivateWord}`)).json()) as ProductPage;
    expect(page.items).toEqual([]);
    expect(
      (await call(`/v1/products/${product.id}`, { method: 'DELETE', token: adminToken })).status,
    ).toBe(204);
  });

  it('validates requests with 400 problems', async () => {
    expect((await call('/v1/products?limit=0')).status).toBe(400);
    expect((await call('/v1/products?sort=stock')).status).toBe(400);
    expect((await call('/v1/products/not-a-uuid')).status).toBe(400);
    const badPrice = await call('/v1/products', {
      method: 'POST',
      token: adminToken,
      body: { sku: 'BAD-1', name: 'x', price: { amountMinor: 1.5, currency: 'eur' }, stock: -1 },
    });
    expect(badPrice.status).toBe(400);
  });
});
