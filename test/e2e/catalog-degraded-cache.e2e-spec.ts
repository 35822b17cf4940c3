import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, type RunningApp, startApp } from '../support/app-process.js';
import { uniqueEmail } from '../support/test-environment.js';

const ADMIN_PASSWORD = 'Bootstrap-admin-2026!';

/**
 * The product cache is an optimisation: with Redis unreachable, product reads and edits still
 * succeed from Postgres. The shared Redis server keeps running; this app is pointed at a
 * port where nothing listens.
 */
describe('catalog with Redis unavailable', () => {
  const adminEmail = uniqueEmail('degraded-admin');
  let app: RunningApp;
  let adminToken: string;

  const call = (
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) =>
    fetch(`${app.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  beforeAll(async () => {
    const closedPort = await freePort();
    // Readiness reports Redis down, as it should; the app is alive and serves traffic.
    app = await startApp(
      { REDIS_URL: `redis://127.0.0.1:${closedPort}/0`, ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD },
      { waitFor: 'live' },
    );
    const deadline = Date.now() + 20_000;
    for (;;) {
      const response = await fetch(`${app.baseUrl}/v1/auth/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'password',
          username: adminEmail,
          password: ADMIN_PASSWORD,
        }),
      });
      if (response.status === 200) {
        adminToken = ((await response.json()) as { access_token: string }).access_token;
        break;
      }
      if (Date.now() > deadline) throw new Error(`no admin; logs:\n${app.logs()}`);
      await sleep(250);
    }
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('creates, reads, edits and lists products from Postgres', async () => {
    const created = await call('/v1/products', {
      method: 'POST',
      body: {
        sku: `DOWN-${randomBytes(5).toString('hex')}`,
        name: 'Degraded mug',
        price: { amountMinor: 500, currency: 'EUR' },
        stock: 2,
      },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    for (let read = 0; read < 5; read += 1) {
      const response = await call(`/v1/products/${id}`);
      expect(response.status).toBe(200);
    }

    const edited = await call(`/v1/products/${id}`, {
      method: 'PATCH',
      headers: { 'if-match': `"${id}.1"` },
      body: { stock: 7 },
    });
    expect(edited.status).toBe(200);
    const reread = (await (await call(`/v1/products/${id}`)).json()) as {
      stock: number;
      version: number;
    };
    expect(reread).toMatchObject({ stock: 7, version: 2 });
    expect((await call('/v1/products?limit=1')).status).toBe(200);
  });

  it('warns about the cache in its logs instead of failing requests', () => {
    expect(app.logs()).toMatch(/product cache .*(unreachable|failed)/);
  });
});
