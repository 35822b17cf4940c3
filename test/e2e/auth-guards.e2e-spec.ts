import { type RunningApp, startApp } from '../support/app-process.js';
import { forgeToken, nowSeconds, tamperedToken, tokenClaims } from '../support/forged-tokens.js';
import { uniqueEmail } from '../support/test-environment.js';

const PROBLEM_JSON = 'application/problem+json';
const INVALID_TOKEN = 'Bearer error="invalid_token"';

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
      forgeToken(tokenClaims({ iat: nowSeconds() - 900, exp: nowSeconds() - 60 })),
    );
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('The access token expired');
    expect(response.headers.get('content-type')).toContain(PROBLEM_JSON);
  });

  it.each([
    ['a tampered signature', () => tamperedToken()],
    ['an unsigned token (alg none)', () => forgeToken(tokenClaims(), 'none')],
    [
      'an HS256 token signed with the public key as its secret',
      () => forgeToken(tokenClaims(), 'HS256'),
    ],
    ['a token for another audience', () => forgeToken(tokenClaims({ aud: 'someone-else' }))],
    ['a token from another issuer', () => forgeToken(tokenClaims({ iss: 'https://evil.example' }))],
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
    const response = await get('/v1/users', forgeToken(tokenClaims({ roles: ['admin'] })));
    expect(response.status).toBe(200);
  });
});
