import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { type RunningApp, startApp } from '../support/app-process.js';
import { TEST_AUDIENCE, TEST_ISSUER, uniqueEmail } from '../support/test-environment.js';

const PASSWORD = 'tangerine-bicycle-42';

interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
}

/** Talks to one running app the way a storefront would. */
function client(app: RunningApp) {
  const form = (path: string, fields: Record<string, string>) =>
    fetch(`${app.baseUrl}${path}`, { method: 'POST', body: new URLSearchParams(fields) });
  return {
    register: (body: Record<string, unknown>) =>
      fetch(`${app.baseUrl}/v1/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    token: (fields: Record<string, string>) => form('/v1/auth/token', fields),
    revoke: (token: string) => form('/v1/auth/revoke', { token }),
    login: async (username: string, password = PASSWORD): Promise<TokenResponse> => {
      const response = await form('/v1/auth/token', { grant_type: 'password', username, password });
      expect(response.status).toBe(200);
      return (await response.json()) as TokenResponse;
    },
    refresh: (refreshToken: string) =>
      form('/v1/auth/token', { grant_type: 'refresh_token', refresh_token: refreshToken }),
    me: (accessToken: string) =>
      fetch(`${app.baseUrl}/v1/users/me`, { headers: { authorization: `Bearer ${accessToken}` } }),
  };
}

describe('identity over HTTP', () => {
  let app: RunningApp;
  let http: ReturnType<typeof client>;

  beforeAll(async () => {
    app = await startApp();
    http = client(app);
  });
  afterAll(async () => {
    await app?.stop();
  });

  async function registered(label = 'user'): Promise<{ id: string; email: string }> {
    const email = uniqueEmail(label);
    const response = await http.register({ email, password: PASSWORD });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; email: string };
  }

  it('registers, logs in and shows the user to themselves', async () => {
    const email = uniqueEmail('Flow');
    const registration = await http.register({
      email: `  ${email.toUpperCase()} `,
      password: PASSWORD,
    });
    expect(registration.status).toBe(201);
    const user = (await registration.json()) as Record<string, unknown>;
    expect(user).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: email.toLowerCase(),
      roles: ['customer'],
      createdAt: expect.any(String),
    });
    expect(JSON.stringify(user)).not.toContain(PASSWORD);

    const response = await http.token({
      grant_type: 'password',
      username: email,
      password: PASSWORD,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const tokens = (await response.json()) as TokenResponse;
    expect(tokens).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });

    const me = await http.me(tokens.access_token);
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual(user);
  });

  it('publishes a JWKS that verifies the access tokens it issues', async () => {
    const { id, email } = await registered('jwks');
    const { access_token } = await http.login(email);

    const response = await fetch(`${app.baseUrl}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const jwks = (await response.json()) as JSONWebKeySet;
    expect(jwks.keys).toEqual([
      {
        kty: 'RSA',
        n: expect.any(String),
        e: 'AQAB',
        alg: 'RS256',
        use: 'sig',
        kid: expect.any(String),
      },
    ]);

    const { payload, protectedHeader } = await jwtVerify(access_token, createLocalJWKSet(jwks), {
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      algorithms: ['RS256'],
    });
    expect(protectedHeader.kid).toBe(jwks.keys[0].kid);
    expect(payload).toMatchObject({ sub: id, roles: ['customer'], jti: expect.any(String) });
    expect(payload.exp! - payload.iat!).toBe(900);
  });

  it('rotates refresh tokens, and a replayed one revokes the whole family', async () => {
    const { email } = await registered('rotate');
    const first = await http.login(email);

    const rotated = await http.refresh(first.refresh_token);
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    const second = (await rotated.json()) as TokenResponse;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await http.me(second.access_token)).status).toBe(200);

    const third = (await (await http.refresh(second.refresh_token)).json()) as TokenResponse;

    const replay = await http.refresh(first.refresh_token);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });

    const newest = await http.refresh(third.refresh_token);
    expect(newest.status).toBe(400);
    expect(await newest.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('keeps another login of the same user working when one family is revoked', async () => {
    const { email } = await registered('devices');
    const phone = await http.login(email);
    const laptop = await http.login(email);
    await http.refresh(phone.refresh_token);
    expect((await http.refresh(phone.refresh_token)).status).toBe(400);
    expect((await http.refresh(laptop.refresh_token)).status).toBe(200);
  });

  it('revokes a refresh token (logout) and answers 200 for unknown tokens too', async () => {
    const { email } = await registered('logout');
    const { refresh_token } = await http.login(email);

    const revoked = await http.revoke(refresh_token);
    expect(revoked.status).toBe(200);
    expect((await http.refresh(refresh_token)).status).toBe(400);

    expect((await http.revoke('never-issued')).status).toBe(200);
  });

  it.each([
    ['a wrong password', 'known', 'wrong-password-99'],
    ['an unknown user', 'unknown', PASSWORD],
  ])('answers %s with the same 400 invalid_grant', async (_case, who, password) => {
    const email = who === 'known' ? (await registered('wrong')).email : uniqueEmail('nobody');
    const response = await http.token({ grant_type: 'password', username: email, password });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'The username or password is incorrect',
    });
  });

  it.each<[string, Record<string, string>, string]>([
    ['an unsupported grant type', { grant_type: 'client_credentials' }, 'unsupported_grant_type'],
    [
      'a password grant without a password',
      { grant_type: 'password', username: 'a@b.example' },
      'invalid_request',
    ],
    ['a refresh grant without a token', { grant_type: 'refresh_token' }, 'invalid_request'],
    ['no grant type', { username: 'a@b.example', password: PASSWORD }, 'invalid_request'],
    [
      'an unknown field',
      { grant_type: 'password', username: 'a@b.example', password: PASSWORD, admin: '1' },
      'invalid_request',
    ],
  ])('answers %s with 400 %s in OAuth form', async (_case, fields, error) => {
    const response = await http.token(fields);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error, error_description: expect.any(String) });
  });

  it('rejects a duplicate email with 409 IDENTITY.EMAIL_TAKEN, whatever its case', async () => {
    const { email } = await registered('dup');
    const response = await http.register({ email: email.toUpperCase(), password: PASSWORD });
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'IDENTITY.EMAIL_TAKEN', status: 409 });
  });

  it('rejects an unknown registration field with a 400 problem naming it', async () => {
    const response = await http.register({
      email: uniqueEmail(),
      password: PASSWORD,
      roles: ['admin'],
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as { code: string; errors: { field: string }[] };
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors.map((error) => error.field)).toContain('roles');
  });

  it('rejects a weak password with 400 IDENTITY.WEAK_PASSWORD listing the rules broken', async () => {
    const response = await http.register({ email: uniqueEmail(), password: 'aaaaaaaaaaaaaaaa' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'IDENTITY.WEAK_PASSWORD',
      violations: ['too_few_character_classes'],
    });
  });

  it('requires a bearer token for /v1/users/me', async () => {
    const response = await fetch(`${app.baseUrl}/v1/users/me`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('keeps the user list and role changes for admins', async () => {
    const { email, id } = await registered('customer');
    const { access_token } = await http.login(email);
    const headers = { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' };
    expect((await fetch(`${app.baseUrl}/v1/users`, { headers })).status).toBe(403);
    const patch = await fetch(`${app.baseUrl}/v1/users/${id}/roles`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ roles: ['admin'] }),
    });
    expect(patch.status).toBe(403);
  });

  it('never writes passwords or tokens to the log', async () => {
    const { email } = await registered('logs');
    const { refresh_token, access_token } = await http.login(email);
    await http.refresh(refresh_token);
    await http.refresh(refresh_token);
    const logs = app.logs();
    expect(logs).not.toContain(PASSWORD);
    expect(logs).not.toContain(refresh_token);
    expect(logs).not.toContain(access_token);
  });
});

describe('login rate limit over HTTP', () => {
  let app: RunningApp;
  let http: ReturnType<typeof client>;

  beforeAll(async () => {
    app = await startApp({
      LOGIN_THROTTLE_LIMIT_PER_ACCOUNT: '3',
      LOGIN_THROTTLE_WINDOW_MS: '60000',
    });
    http = client(app);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('blocks an account after 3 attempts with 429 and Retry-After, even for the right password', async () => {
    const email = uniqueEmail('throttled');
    expect((await http.register({ email, password: PASSWORD })).status).toBe(201);
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const response = await http.token({
        grant_type: 'password',
        username: email,
        password: 'wrong-password-99',
      });
      expect(response.status).toBe(400);
    }

    const blocked = await http.token({
      grant_type: 'password',
      username: email.toUpperCase(),
      password: PASSWORD,
    });
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await blocked.json()).toEqual({
      error: 'invalid_request',
      error_description: 'too many login attempts; retry later',
    });

    const otherAccount = uniqueEmail('unthrottled');
    expect((await http.register({ email: otherAccount, password: PASSWORD })).status).toBe(201);
    expect(
      (await http.token({ grant_type: 'password', username: otherAccount, password: PASSWORD }))
        .status,
    ).toBe(200);
  });
});
