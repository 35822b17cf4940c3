import { setTimeout as sleep } from 'node:timers/promises';
import {
  createThrowawayDatabase,
  type ThrowawayDatabase,
} from '../integration/saga/throwaway-database.js';
import { type RunningApp, startApp } from '../support/app-process.js';
import { uniqueEmail } from '../support/test-environment.js';

const ADMIN_PASSWORD = 'Bootstrap-admin-2026!';
const PASSWORD = 'tangerine-bicycle-42';

interface UserBody {
  id: string;
  email: string;
  roles: string[];
}

// A database of its own: the rule counts every administrator, and the apps of other suites create
// admins in the shared test database at any time.
describe('the last administrator over HTTP', () => {
  const adminEmail = uniqueEmail('admin');
  let throwaway: ThrowawayDatabase;
  let app: RunningApp;

  const form = (fields: Record<string, string>) =>
    fetch(`${app.baseUrl}/v1/auth/token`, { method: 'POST', body: new URLSearchParams(fields) });

  async function accessToken(username: string, password: string): Promise<string> {
    const response = await form({ grant_type: 'password', username, password });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  const call = (token: string, path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${app.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        // Fastify refuses an empty body that claims to be JSON (a DELETE has none).
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  async function expectLastAdminRefusal(response: Response): Promise<void> {
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 409, code: 'IDENTITY.LAST_ADMIN' });
  }

  /** Ids of the administrators now, as an admin's token lists them (a database of its own). */
  async function administrators(token: string): Promise<string[]> {
    const response = await call(token, '/v1/users?limit=100');
    expect(response.status).toBe(200);
    const page = (await response.json()) as { items: UserBody[] };
    return page.items.filter((user) => user.roles.includes('admin')).map((user) => user.id);
  }

  /** A new user made admin by the bootstrap admin, with an access token saying so. */
  async function anotherAdmin(label: string): Promise<{ user: UserBody; token: string }> {
    const registered = await fetch(`${app.baseUrl}/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: uniqueEmail(label), password: PASSWORD }),
    });
    expect(registered.status).toBe(201);
    const user = (await registered.json()) as UserBody;
    const promoted = await call(bootstrapToken, `/v1/users/${user.id}/roles`, {
      method: 'PATCH',
      body: { roles: ['admin'] },
    });
    expect(promoted.status).toBe(200);
    return { user, token: await accessToken(user.email, PASSWORD) };
  }

  let bootstrapAdmin: UserBody;
  let bootstrapToken: string;

  beforeAll(async () => {
    throwaway = await createThrowawayDatabase('last_admin_e2e');
    app = await startApp({ DATABASE_URL: throwaway.url, ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD });
    // The admin is created in the background once the database is ready: wait for it to log in.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const response = await form({
        grant_type: 'password',
        username: adminEmail,
        password: ADMIN_PASSWORD,
      });
      if (response.status === 200) {
        bootstrapToken = ((await response.json()) as { access_token: string }).access_token;
        break;
      }
      if (Date.now() > deadline)
        throw new Error(`bootstrap admin never appeared; logs:\n${app.logs()}`);
      await sleep(250);
    }
    bootstrapAdmin = (await (await call(bootstrapToken, '/v1/users/me')).json()) as UserBody;
  });
  afterAll(async () => {
    await app?.stop();
    await throwaway?.drop();
  });

  it('refuses DELETE /v1/users/me by the only administrator with 409 IDENTITY.LAST_ADMIN', async () => {
    await expectLastAdminRefusal(await call(bootstrapToken, '/v1/users/me', { method: 'DELETE' }));

    // Nothing happened: the account exists and its token still works.
    expect((await call(bootstrapToken, '/v1/users/me')).status).toBe(200);
  });

  it('refuses an admin deleting the last other administrator, and allows it once another remains', async () => {
    const registered = await fetch(`${app.baseUrl}/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: uniqueEmail('second-admin'), password: PASSWORD }),
    });
    expect(registered.status).toBe(201);
    const second = (await registered.json()) as UserBody;
    const promoted = await call(bootstrapToken, `/v1/users/${second.id}/roles`, {
      method: 'PATCH',
      body: { roles: ['admin'] },
    });
    expect(promoted.status).toBe(200);
    const secondToken = await accessToken(second.email, PASSWORD);

    // The second admin demotes the first; the first's token still says admin until it expires,
    // which is exactly when deleting the one remaining admin must be refused.
    const demoted = await call(secondToken, `/v1/users/${bootstrapAdmin.id}/roles`, {
      method: 'PATCH',
      body: { roles: ['customer'] },
    });
    expect(demoted.status).toBe(200);
    await expectLastAdminRefusal(
      await call(bootstrapToken, `/v1/users/${second.id}`, { method: 'DELETE' }),
    );
    expect((await call(secondToken, '/v1/users/me')).status).toBe(200);

    // With the first an admin again, either may delete the other.
    const restored = await call(secondToken, `/v1/users/${bootstrapAdmin.id}/roles`, {
      method: 'PATCH',
      body: { roles: ['admin'] },
    });
    expect(restored.status).toBe(200);
    expect(
      (await call(bootstrapToken, `/v1/users/${second.id}`, { method: 'DELETE' })).status,
    ).toBe(204);
    await expectLastAdminRefusal(await call(bootstrapToken, '/v1/users/me', { method: 'DELETE' }));
  });

  it('refuses taking the admin role from the last administrator with 409 IDENTITY.LAST_ADMIN', async () => {
    const third = await anotherAdmin('third-admin');
    const demoted = await call(third.token, `/v1/users/${bootstrapAdmin.id}/roles`, {
      method: 'PATCH',
      body: { roles: ['customer'] },
    });
    expect(demoted.status).toBe(200);

    // The bootstrap admin's token still says admin: the rule, not the token, refuses it.
    await expectLastAdminRefusal(
      await call(bootstrapToken, `/v1/users/${third.user.id}/roles`, {
        method: 'PATCH',
        body: { roles: ['customer'] },
      }),
    );
    expect(await administrators(third.token)).toEqual([third.user.id]);

    // Tidy: the bootstrap admin an admin again, the third one gone.
    const restored = await call(third.token, `/v1/users/${bootstrapAdmin.id}/roles`, {
      method: 'PATCH',
      body: { roles: ['admin'] },
    });
    expect(restored.status).toBe(200);
    expect(
      (await call(bootstrapToken, `/v1/users/${third.user.id}`, { method: 'DELETE' })).status,
    ).toBe(204);
  });

  it('lets only one of two admins demoting each other at once succeed', async () => {
    const fourth = await anotherAdmin('fourth-admin');

    const [byBootstrap, byFourth] = await Promise.all([
      call(bootstrapToken, `/v1/users/${fourth.user.id}/roles`, {
        method: 'PATCH',
        body: { roles: ['customer'] },
      }),
      call(fourth.token, `/v1/users/${bootstrapAdmin.id}/roles`, {
        method: 'PATCH',
        body: { roles: ['customer'] },
      }),
    ]);

    expect([byBootstrap.status, byFourth.status].sort()).toEqual([200, 409]);
    const [winner, loser] =
      byBootstrap.status === 200 ? [byBootstrap, byFourth] : [byFourth, byBootstrap];
    expect(winner.status).toBe(200);
    await expectLastAdminRefusal(loser);
    const survivor = byBootstrap.status === 200 ? bootstrapAdmin.id : fourth.user.id;
    const survivorToken = byBootstrap.status === 200 ? bootstrapToken : fourth.token;
    expect(await administrators(survivorToken)).toEqual([survivor]);
  });
});
