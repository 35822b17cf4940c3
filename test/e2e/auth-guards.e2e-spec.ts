import { createHmac, createPrivateKey, randomUUID, sign } from 'node:crypto';
import { type RunningApp, startApp } from '../support/app-process.js';
import {
  TEST_AUDIENCE,
  TEST_ISSUER,
  testKeyPair,
  uniqueEmail,
} from '../support/test-environment.js';

const PROBLEM_JSON = 'application/problem+json';
const INVALID_TOKEN = 'Bearer error="invalid_token"';

const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = (): number => Math.floor(Date.now() / 1000);

/** Builds tokens by hand, so the test can also make the ones no library would sign. */
function forge(claims: object, alg: 'RS256' | 'HS256' | 'none' = 'RS256'): string {
  const { privateKeyPem, publicKeyPem } = testKeyPair();
  const signingInput = `${encode({ alg, typ: 'at+jwt' })}.${encode(claims)}`;
  const signature =
    alg === 'RS256'
      ? sign('sha256', Buffer.from(signingInput), createPrivateKey(privateKeyPem))
      : alg === 'HS256'
        ? createHmac('sha256', publicKeyPem).update(signingInput).digest()
        : Buffer.alloc(0);
  return `${signingInput}.${signature.toString('base64url')}`;
}

const claims = (override: object = {}): object => ({
  sub: randomUUID(),
  jti: randomUUID(),
  roles: ['customer'],
  iss: TEST_ISSUER,
  aud: TEST_AUDIENCE,
  iat: now(),
  exp: now() + 300,
  ...override,
});

function tampered(): string {
  const [header, , signature] = forge(claims()).split('.');
  return `${header}.${encode(claims({ roles: ['admin'] }))}.${signature}`;
}

describe('authentication and authorization at the HTTP edge', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp();
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
  });

  const get = (path: string, token?: string): Promise<Response> =>
    fetch(`${app.baseUrl}${path}`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });

  async function customerToken(): Promise<string> {
    const email = uniqueEmail('guards');
    const password = 'correct horse battery staple';
    const registered = await fetch(`${app.baseUrl}/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(registered.status).toBe(201);
    const issued = await fetch(`${app.baseUrl}/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: email, password }).toString(),
    });
    expect(issued.status).toBe(200);
    return ((await issued.json()) as { access_token: string }).access_token;
  }

  it('asks for a bearer token with 401 when none is sent', async () => {
    const response = await get('/v1/users/me');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.headers.get('content-type')).toContain(PROBLEM_JSON);
  });

  it('answers an expired token with 401 saying it expired, so the client refreshes', async () => {
    const response = await get(
      '/v1/users/me',
      forge(claims({ iat: now() - 900, exp: now() - 60 })),
    );
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('The access token expired');
    expect(response.headers.get('content-type')).toContain(PROBLEM_JSON);
  });

  it.each([
    ['a tampered signature', tampered],
    ['an unsigned token (alg none)', () => forge(claims(), 'none')],
    ['an HS256 token signed with the public key as its secret', () => forge(claims(), 'HS256')],
    ['a token for another audience', () => forge(claims({ aud: 'someone-else' }))],
    ['a token from another issuer', () => forge(claims({ iss: 'https://evil.example' }))],
  ])('answers %s with 401 invalid_token', async (_case, token) => {
    const response = await get('/v1/users/me', token());
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain(INVALID_TOKEN);
    expect(response.headers.get('content-type')).toContain(PROBLEM_JSON);
  });

  it('serves the caller behind a token the identity context issued', async () => {
    const response = await get('/v1/users/me', await customerToken());
    expect(response.status).toBe(200);
  });

  it('forbids a customer the admin-only user list with 403', async () => {
    const response = await get('/v1/users', await customerToken());
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toContain(PROBLEM_JSON);
  });

  it('lets an admin token through to the admin-only user list', async () => {
    const response = await get('/v1/users', forge(claims({ roles: ['admin'] })));
    expect(response.status).toBe(200);
  });
});
