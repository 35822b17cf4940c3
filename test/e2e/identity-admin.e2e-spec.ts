import { setTimeout as sleep } from 'node:timers/promises';
import { type RunningApp, startApp } from '../support/app-process.js';
import { uniqueEmail } from '../support/test-environment.js';

const ADMIN_PASSWORD = 'Bootstrap-admin-2026!';
const PASSWORD = 'tangerine-bicycle-42';

interface UserBody {
  id: string;
  email: string;
  roles: string[];
  createdAt: string;
}
interface UserPage {
  items: UserBody[];
  nextCursor: string | null;
}

describe('user administration over HTTP', () => {
  const adminEmail = uniqueEmail('admin');
  let app: RunningApp;

  const form = (fields: Record<string, string>) =>
    fetch(`${app.baseUrl}/v1/auth/token`, { method: 'POST', body: new URLSearchParams(fields) });

  async function accessToken(username: string, password = PASSWORD): Promise<string> {
    const response = await form({ grant_type: 'password', username, password });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  const call = (token: string, path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${app.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  async function register(label: string): Promise<UserBody> {
    const response = await fetch(`${app.baseUrl}/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: uniqueEmail(label), password: PASSWORD }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as UserBody;
  }

  let adminToken: string;

  beforeAll(async () => {
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
      if (Date.now() > deadline)
        throw new Error(`bootstrap admin never appeared; logs:\n${app.logs()}`);
      await sleep(250);
    }
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('creates the bootstrap admin from configuration, with the admin role', async () => {
    const me = (await (await call(adminToken, '/v1/users/me')).json()) as UserBody;
    expect(me).toMatchObject({ email: adminEmail, roles: ['admin'] });
    expect(app.logs()).not.toContain(ADMIN_PASSWORD);
  });

  it('pages through users with an opaque cursor, in (createdAt, id) order, without repeats', async () => {
    const created = [await register('page'), await register('page'), await register('page')];

    const first = (await (await call(adminToken, '/v1/users?limit=2')).json()) as UserPage;
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await (
      await call(adminToken, `/v1/users?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`)
    ).json()) as UserPage;
    expect(second.items.length).toBeGreaterThan(0);
    expect(second.items.map((user) => user.id)).not.toContain(first.items[0].id);

    // Walk the rest in larger pages until our three users have been seen.
    const seen: UserBody[] = [...first.items, ...second.items];
    let cursor = second.nextCursor;
    while (cursor !== null) {
      const response = await call(
        adminToken,
        `/v1/users?limit=100&cursor=${encodeURIComponent(cursor)}`,
      );
      expect(response.status).toBe(200);
      const page = (await response.json()) as UserPage;
      seen.push(...page.items);
      cursor = page.nextCursor;
    }

    const ids = seen.map((user) => user.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const user of created) expect(ids).toContain(user.id);
    const keys = seen.map((user) => `${user.createdAt}|${user.id}`);
    expect(keys).toEqual([...keys].sort());
    expect(seen.every((user) => !('passwordHash' in user))).toBe(true);
  });

  it('rejects a forged cursor and an out-of-range limit with 400 problems', async () => {
    const forged = await call(adminToken, '/v1/users?cursor=bm90LWEtY3Vyc29y');
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({ code: 'IDENTITY.INVALID_CURSOR' });
    expect((await call(adminToken, '/v1/users?limit=1000')).status).toBe(400);
  });

  it("changes a user's roles, and the user's next token carries them", async () => {
    const customer = await register('promoted');
    const changed = await call(adminToken, `/v1/users/${customer.id}/roles`, {
      method: 'PATCH',
      body: { roles: ['customer', 'admin'] },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ id: customer.id, roles: ['customer', 'admin'] });

    const promotedToken = await accessToken(customer.email);
    expect((await call(promotedToken, '/v1/users?limit=1')).status).toBe(200);
  });

  it('refuses to let an admin remove their own admin role', async () => {
    const me = (await (await call(adminToken, '/v1/users/me')).json()) as UserBody;
    const response = await call(adminToken, `/v1/users/${me.id}/roles`, {
      method: 'PATCH',
      body: { roles: ['customer'] },
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: 'IDENTITY.CANNOT_REMOVE_OWN_ADMIN_ROLE' });
  });

  it.each([
    ['an empty role list', { roles: [] }],
    ['an unknown role', { roles: ['root'] }],
    ['no roles field', {}],
  ])('rejects %s with a 400 problem', async (_case, body) => {
    const customer = await register('badroles');
    const response = await call(adminToken, `/v1/users/${customer.id}/roles`, {
      method: 'PATCH',
      body,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('answers 404 for an unknown user and 400 for an id that is not a UUID', async () => {
    const unknown = await call(adminToken, '/v1/users/00000000-0000-4000-8000-000000000000/roles', {
      method: 'PATCH',
      body: { roles: ['customer'] },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'IDENTITY.USER_NOT_FOUND' });
    const malformed = await call(adminToken, '/v1/users/42/roles', {
      method: 'PATCH',
      body: { roles: ['customer'] },
    });
    expect(malformed.status).toBe(400);
  });
});
