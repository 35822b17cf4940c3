import { createPrivateKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { MONOLITH_ENTRY, type RunningApp, runAppToExit, startApp } from '../support/app-process.js';
import {
  TEST_AUDIENCE,
  TEST_ISSUER,
  testKeyPair,
  uniqueEmail,
} from '../support/test-environment.js';
import { rsaKeyId } from '../../libs/config/src/jwt-keys.js';
import { LocalJwksServer } from '../integration/guards/local-jwks-server.js';

/*
 * Two processes of the built app: an identity app that signs tokens, and an app with no key at all,
 * only JWT_JWKS_URL, as orders, catalog, payments and notifications run in split mode. Both are the
 * monolith binary (pinned, so the e2e-split run does the same). Between them sits a one-route relay
 * standing in for the gateway, so identity can restart with a rotated key on another port while
 * the verifying app keeps its JWT_JWKS_URL and is never restarted.
 */

const PASSWORD = 'correct horse battery staple';
const COOLDOWN_MS = 500;
const sleep = (ms: number): Promise<void> =>
  new Promise((done) => setTimeout(done, Math.max(0, ms)));

function rsaPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** A well-formed token that identity did not sign: another key, announced with its own kid. */
function foreignToken(): Promise<string> {
  const { privateKeyPem, publicKeyPem } = rsaPair();
  return new SignJWT({ roles: ['customer'] })
    .setProtectedHeader({ alg: 'RS256', kid: rsaKeyId(publicKeyPem), typ: 'at+jwt' })
    .setSubject(randomUUID())
    .setJti(randomUUID())
    .setIssuer(TEST_ISSUER)
    .setAudience(TEST_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(createPrivateKey(privateKeyPem));
}

async function passwordGrant(app: RunningApp, email: string): Promise<string> {
  const issued = await fetch(`${app.baseUrl}/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username: email, password: PASSWORD }),
  });
  expect(issued.status).toBe(200);
  return ((await issued.json()) as { access_token: string }).access_token;
}

async function register(app: RunningApp): Promise<string> {
  const email = uniqueEmail('jwks');
  const registered = await fetch(`${app.baseUrl}/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(registered.status).toBe(201);
  return email;
}

const getWith = (app: RunningApp, path: string, token: string): Promise<Response> =>
  fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

const kidsAt = async (app: RunningApp): Promise<string[]> => {
  const response = await fetch(`${app.baseUrl}/.well-known/jwks.json`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { keys: Array<{ kid: string }> }).keys.map((key) => key.kid);
};

describe('apps other than identity verify tokens through identity’s JWKS', () => {
  const original = testKeyPair();
  const rotated = rsaPair();
  // The verifying app has no configured key; outside production it would generate a development
  // pair for its own identity module, kept here apart from the checkout's .keys.
  const devKeyDir = mkdtempSync(join(tmpdir(), 'commerce-jwks-e2e-'));
  let relay: LocalJwksServer;
  let identity: RunningApp | undefined;
  let verifier: RunningApp;
  let email: string;

  beforeAll(async () => {
    relay = await LocalJwksServer.start();
    identity = await startApp({}, { entry: MONOLITH_ENTRY });
    relay.forwardTo(`${identity.baseUrl}/.well-known/jwks.json`);
    verifier = await startApp(
      {
        JWT_PRIVATE_KEY: '',
        JWT_PUBLIC_KEY: '',
        JWT_DEV_KEY_DIR: devKeyDir,
        JWT_JWKS_URL: relay.url,
        // Short, so the test need not wait long for the rotated key's fetch to be allowed.
        JWT_JWKS_COOLDOWN_MS: String(COOLDOWN_MS),
      },
      { entry: MONOLITH_ENTRY },
    );
    email = await register(identity);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([identity?.stop(), verifier?.stop()]);
    await relay?.stop();
    rmSync(devKeyDir, { recursive: true, force: true });
  });

  it('accepts a token identity issued, on a route of another context', async () => {
    const token = await passwordGrant(identity!, email);
    const response = await getWith(verifier, '/v1/orders', token);
    expect(response.status).toBe(200);
  });

  it('answers 401 to a token signed by a key identity does not publish', async () => {
    const response = await getWith(verifier, '/v1/orders', await foreignToken());
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('accepts a rotated key without a restart; identity accepts the previous key until it is removed', async () => {
    const beforeRotation = await passwordGrant(identity!, email);
    await identity!.stop();
    identity = undefined;

    // Identity is down: known keys still verify from the cache; an unknown kid cannot be judged.
    expect((await getWith(verifier, '/v1/orders', beforeRotation)).status).toBe(200);
    const unjudged = await getWith(verifier, '/v1/orders', await foreignToken());
    expect(unjudged.status).toBe(503);
    expect(unjudged.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(unjudged.headers.get('content-type')).toContain('application/problem+json');
    const cooldownEnds = Date.now() + COOLDOWN_MS;

    identity = await startApp(
      {
        JWT_PRIVATE_KEY: rotated.privateKeyPem,
        JWT_PUBLIC_KEY: '',
        JWT_PREVIOUS_PUBLIC_KEYS: original.publicKeyPem,
      },
      { entry: MONOLITH_ENTRY },
    );
    relay.forwardTo(`${identity.baseUrl}/.well-known/jwks.json`);
    expect(await kidsAt(identity)).toEqual([
      rsaKeyId(rotated.publicKeyPem),
      rsaKeyId(original.publicKeyPem),
    ]);

    const afterRotation = await passwordGrant(identity, email);
    // The failed fetch above started a cooldown; identity's restart almost always outlasts it.
    await sleep(cooldownEnds - Date.now());
    expect((await getWith(verifier, '/v1/orders', afterRotation)).status).toBe(200);
    expect((await getWith(verifier, '/v1/orders', beforeRotation)).status).toBe(200);
    expect((await getWith(identity, '/v1/users/me', beforeRotation)).status).toBe(200);
  }, 120_000);

  it('refuses to start on a private and a public key that are not one pair', async () => {
    const { code, output } = await runAppToExit({
      JWT_PRIVATE_KEY: rotated.privateKeyPem,
      JWT_PUBLIC_KEY: original.publicKeyPem,
    });
    expect(code).not.toBe(0);
    expect(output).toContain('JWT_PRIVATE_KEY and JWT_PUBLIC_KEY are not one key pair');
  });
});
