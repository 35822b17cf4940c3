import { generateKeyPairSync } from 'node:crypto';
import pg from 'pg';
import { forgeToken, nowSeconds, tamperedToken, tokenClaims } from '../support/forged-tokens.js';
import { TEST_DATABASE_URL, uniqueEmail } from '../support/test-environment.js';
import { describeRequest, type ObservedResponse, ObservedTraffic } from './observed-traffic.js';
import {
  modeTitle,
  openSecurityShop,
  type SecurityShop,
  recordSecurityResult,
  OPEN_SHOP_BUDGET_MS,
} from './security-shop.js';

// Suite 11 (issue 9): forged, stale and misdirected access tokens, each sent to protected routes
// of every context (through the gateway in split mode): every one answers 401 problem+json.

const PASSWORD = 'tangerine-bicycle-42';

/** A key pair the apps have never seen: what an attacker signs with. */
const attackerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const attackerPrivatePem = attackerKey.privateKey
  .export({ type: 'pkcs8', format: 'pem' })
  .toString();
const attackerJwk = attackerKey.publicKey.export({ format: 'jwk' });

const signedByAttacker = (header: Record<string, unknown> = {}): string =>
  forgeToken(tokenClaims({ roles: ['admin'] }), 'RS256', header, attackerPrivatePem);

/** Each forgery, built when the test runs (its clock claims must be fresh). */
const FORGERIES: readonly (readonly [string, () => string])[] = [
  ['an unsigned token (alg none)', () => forgeToken(tokenClaims(), 'none')],
  ['an unsigned token (alg NONE)', () => forgeToken(tokenClaims(), 'none', { alg: 'NONE' })],
  ['an HS256 token keyed with the public key', () => forgeToken(tokenClaims(), 'HS256')],
  [
    'an expired token',
    () => forgeToken(tokenClaims({ iat: nowSeconds() - 3_600, exp: nowSeconds() - 600 })),
  ],
  ['a token not valid yet (nbf)', () => forgeToken(tokenClaims({ nbf: nowSeconds() + 600 }))],
  ['a token from another issuer', () => forgeToken(tokenClaims({ iss: 'https://evil.example' }))],
  ['a token for another audience', () => forgeToken(tokenClaims({ aud: 'another-api' }))],
  ['a token without expiry', () => forgeToken(tokenClaims({ exp: undefined }))],
  ['a token without subject', () => forgeToken(tokenClaims({ sub: '' }))],
  ['a token with an unknown role', () => forgeToken(tokenClaims({ roles: ['root'] }))],
  ['a token whose payload was swapped after signing', () => tamperedToken()],
  ['a token signed by an unknown key', () => signedByAttacker()],
  ['an unknown kid', () => signedByAttacker({ kid: 'no-such-key' })],
  ['a path-traversal kid', () => signedByAttacker({ kid: '../../../../../../dev/null' })],
  ['an SQL kid', () => signedByAttacker({ kid: "' UNION SELECT 'secret' --" })],
  ['a huge kid', () => signedByAttacker({ kid: 'k'.repeat(2_000) })],
  ['a kid that is not a string', () => signedByAttacker({ kid: { $ne: null } })],
  ['a key embedded in the header (jwk)', () => signedByAttacker({ jwk: attackerJwk })],
  ['a key URL in the header (jku)', () => signedByAttacker({ jku: 'http://127.0.0.1:9/jwks' })],
  ['two parts only', () => forgeToken(tokenClaims()).split('.').slice(0, 2).join('.')],
  ['not base64url', () => '%%%.&&&.***'],
  ['a JSON array payload', () => `${forgeToken(tokenClaims()).split('.')[0]}.W10.`],
];

describe(`JWT forgeries (${modeTitle()})`, () => {
  let cast: SecurityShop;
  let traffic: ObservedTraffic;
  let database: pg.Client;
  const verdicts: string[] = [];

  beforeAll(async () => {
    cast = await openSecurityShop();
    traffic = new ObservedTraffic(cast.shop.app.baseUrl);
    database = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await database.connect();
  }, OPEN_SHOP_BUDGET_MS);

  afterAll(async () => {
    await database?.end();
    await cast?.shop.close();
    recordSecurityResult(
      11,
      'JWT forgeries',
      [
        `${FORGERIES.length} forged or unusable tokens (alg none, HS256 keyed with the public ` +
          'key, expired, not yet valid, wrong issuer and audience, missing claims, tampered ' +
          'payload, an unknown signing key with hostile `kid`s, embedded `jwk` and `jku`), each on ' +
          `${protectedRoutes().length} protected routes of every context, and the access and ` +
          'refresh tokens of a deleted user.',
        '',
        ...verdicts,
        traffic?.summary() ?? '',
      ].join('\n'),
    );
  });

  /** Routes of every context that need a caller, admin ones included. */
  const protectedRoutes = (): readonly string[] => [
    '/v1/users/me',
    '/v1/users',
    `/v1/orders/${cast?.victimOrder.id}`,
    '/v1/orders',
    `/v1/payments?orderId=${cast?.victimOrder.id}`,
    '/v1/notifications',
    '/v1/notifications/failed-jobs',
  ];

  const expectRefusedAsUnauthenticated = async (token: string): Promise<void> => {
    const answers = await traffic.sendAll(
      protectedRoutes().map((path) => ({
        method: 'GET',
        path,
        headers: { authorization: `Bearer ${token}` },
      })),
    );
    for (const answer of answers) {
      // The request with the answer, so a failure shows which route let the token through.
      expect(
        `${describeRequest(answer.request)}\n=> ${answer.status} ${answer.headers.get('content-type')} ${answer.text.slice(0, 300)}`,
      ).toMatch(/=> 401 application\/problem\+json/);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    }
  };

  it.each(FORGERIES)(
    'answers %s with 401 problem+json on every protected route',
    async (_, token) => {
      await expectRefusedAsUnauthenticated(token());
    },
  );

  it('lets the real token of the same customer through, so the refusals are about the tokens', async () => {
    const answers = await traffic.sendAll(
      ['/v1/users/me', `/v1/orders/${cast.victimOrder.id}`, '/v1/orders', '/v1/notifications'].map(
        (path) => ({
          method: 'GET',
          path,
          headers: { authorization: `Bearer ${cast.victim.token}` },
        }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    verdicts.push(`- all ${FORGERIES.length} forgeries: 401 problem+json on every route`);
  });

  const tokenGrant = (fields: Record<string, string>): Promise<ObservedResponse> =>
    traffic.send({
      method: 'POST',
      path: '/v1/auth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });

  // Deleting an account revokes its access tokens in every app at once (ADR 0042): the token the
  // user still holds, unexpired and correctly signed, is refused by identity and by every other
  // context, and so is the refresh that would extend it.
  it("refuses a deleted user's unexpired access token in every context, and their refresh token", async () => {
    const email = uniqueEmail('deleted');
    const registered = await cast.shop.request(undefined, '/v1/users', {
      method: 'POST',
      body: { email, password: PASSWORD },
    });
    expect(registered.status).toBe(201);
    const { id } = (await registered.json()) as { id: string };
    const issued = await tokenGrant({
      grant_type: 'password',
      username: email,
      password: PASSWORD,
    });
    expect(issued.status).toBe(200);
    const tokens = JSON.parse(issued.text) as { access_token: string; refresh_token: string };
    const bearer = { authorization: `Bearer ${tokens.access_token}` };
    // Served before the deletion, so the refusals below are about the deletion.
    const before = await traffic.sendAll(
      ['/v1/users/me', '/v1/orders', '/v1/notifications'].map((path) => ({
        method: 'GET',
        path,
        headers: bearer,
      })),
    );
    expect(before.map((answer) => answer.status)).toEqual([200, 200, 200]);

    const deleted = await traffic.send({ method: 'DELETE', path: '/v1/users/me', headers: bearer });
    expect(`${deleted.status} ${deleted.text}`).toBe('204 ');
    const { rows } = await database.query<{ users: string; refreshTokens: string }>(
      `SELECT (SELECT count(*) FROM identity.users WHERE id = $1) AS users,
              (SELECT count(*) FROM identity.refresh_tokens WHERE user_id = $1) AS "refreshTokens"`,
      [id],
    );
    expect(rows).toEqual([{ users: '0', refreshTokens: '0' }]);

    await expectRefusedAsUnauthenticated(tokens.access_token);
    const again = await traffic.send({ method: 'DELETE', path: '/v1/users/me', headers: bearer });
    expect(`${again.status} ${again.headers.get('content-type')}`).toMatch(
      /^401 application\/problem\+json/,
    );
    const refreshed = await tokenGrant({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    expect(refreshed.status).toBe(400);
    expect(JSON.parse(refreshed.text)).toMatchObject({ error: 'invalid_grant' });
    verdicts.push(
      '- a user deleted through DELETE /v1/users/me: their unexpired access token 401 ' +
        `problem+json on all ${protectedRoutes().length} protected routes (identity, orders, ` +
        'payments, notifications; revoked in the shared Redis, ADR 0042), their refresh token ' +
        '400 invalid_grant',
    );
  });
});
