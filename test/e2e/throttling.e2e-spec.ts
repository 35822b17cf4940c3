import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { type RunningApp, startApp } from '../support/app-process.js';
import {
  TEST_AUDIENCE,
  TEST_ISSUER,
  testKeyPair,
  uniqueEmail,
} from '../support/test-environment.js';

const LIMIT = 3;
// Long enough that no window ends while a test runs.
const THROTTLE = { THROTTLE_LIMIT: String(LIMIT), THROTTLE_TTL_MS: '60000' };
const USER_ROUTE = '/v1/users/me';

const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A valid access token for a made-up user: the throttler counts per user id. */
function tokenFor(userId: string): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: userId,
    jti: randomUUID(),
    roles: ['customer'],
    iss: TEST_ISSUER,
    aud: TEST_AUDIENCE,
    iat: now,
    exp: now + 300,
  };
  const signingInput = `${encode({ alg: 'RS256', typ: 'at+jwt' })}.${encode(claims)}`;
  const key = createPrivateKey(testKeyPair().privateKeyPem);
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), key).toString('base64url')}`;
}

describe('rate limiting across replicas', () => {
  // Two replicas of one service: same SERVICE_NAME, so they share counters in Redis.
  let replicaA: RunningApp;
  let replicaB: RunningApp;

  beforeAll(async () => {
    const serviceName = `test-throttle-${randomUUID().slice(0, 8)}`;
    [replicaA, replicaB] = await Promise.all([
      startApp({ ...THROTTLE, SERVICE_NAME: serviceName }),
      startApp({ ...THROTTLE, SERVICE_NAME: serviceName }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([replicaA?.stop(), replicaB?.stop()]);
  });

  const get = (app: RunningApp, path: string, token?: string): Promise<Response> =>
    fetch(`${app.baseUrl}${path}`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });

  /** A real user's token, so the allowed requests answer 200. */
  async function registeredUserToken(app: RunningApp): Promise<string> {
    const email = uniqueEmail('throttle');
    const password = 'correct horse battery staple';
    await fetch(`${app.baseUrl}/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const issued = await fetch(`${app.baseUrl}/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: email, password }).toString(),
    });
    return ((await issued.json()) as { access_token: string }).access_token;
  }

  it('answers the request past the limit with 429 and a Retry-After in seconds', async () => {
    const token = await registeredUserToken(replicaA);
    const allowed = [];
    for (let i = 0; i < LIMIT; i += 1) allowed.push(await get(replicaA, USER_ROUTE, token));
    expect(allowed.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(allowed.map((response) => response.headers.get('x-ratelimit-remaining'))).toEqual([
      '2',
      '1',
      '0',
    ]);

    const refused = await get(replicaA, USER_ROUTE, token);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
  });

  it('holds one limit across replicas of the same service', async () => {
    const token = tokenFor(randomUUID());
    const statuses = [];
    for (const app of [replicaA, replicaB, replicaA, replicaB]) {
      statuses.push((await get(app, USER_ROUTE, token)).status);
    }
    expect(statuses.slice(0, LIMIT)).not.toContain(429);
    expect(statuses[LIMIT]).toBe(429);
  });

  it('counts each user separately, even from one address', async () => {
    const greedy = tokenFor(randomUUID());
    for (let i = 0; i <= LIMIT; i += 1) await get(replicaA, USER_ROUTE, greedy);
    expect((await get(replicaB, USER_ROUTE, greedy)).status).toBe(429);
    expect((await get(replicaB, USER_ROUTE, tokenFor(randomUUID()))).status).not.toBe(429);
  });

  it('counts each route separately for one user', async () => {
    const token = tokenFor(randomUUID());
    for (let i = 0; i <= LIMIT; i += 1) await get(replicaA, USER_ROUTE, token);
    expect((await get(replicaA, USER_ROUTE, token)).status).toBe(429);

    const otherRoute = await get(replicaA, '/v1/products?limit=1', token);
    expect(otherRoute.status).toBe(200);
    expect(otherRoute.headers.get('x-ratelimit-remaining')).toBe(String(LIMIT - 1));
  });

  it('never throttles the health probes', async () => {
    const statuses = [];
    for (let i = 0; i < LIMIT * 3; i += 1)
      statuses.push((await get(replicaA, '/health/live')).status);
    expect(statuses.every((status) => status === 200)).toBe(true);
  });
});
