import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ExecutionContext, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { authConfig } from '#lib/config';
import {
  JwksUnavailableError,
  JwtAuthGuard,
  JwtStrategy,
  verificationKeySourceFor,
} from '#lib/guards';
import { freePort } from '../../support/app-process.js';
import { accessToken, LocalJwksServer, type SigningKey, signingKey } from './local-jwks-server.js';

const claims = { issuer: 'http://identity.test', audience: 'commerce-api' };
const keyDir = mkdtempSync(join(tmpdir(), 'commerce-jwks-keys-'));
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

type Outcome =
  { accepted: true } | { accepted: false; error: unknown; headers: Map<string, string> };

/**
 * The JWT guard and strategy of an app started with JWT_JWKS_URL, as GuardsModule wires them.
 * Passport keeps one strategy per name, so the latest verifier built is the one that answers.
 */
function verifierOf(url: string, settings: Record<string, string> = {}) {
  const auth = authConfig.load({
    NODE_ENV: 'test',
    JWT_DEV_KEY_DIR: keyDir,
    JWT_ISSUER: claims.issuer,
    JWT_AUDIENCE: claims.audience,
    JWT_JWKS_URL: url,
    ...settings,
  });
  new JwtStrategy(auth, verificationKeySourceFor(auth), { isRevoked: async () => false });
  const guard = new JwtAuthGuard(new Reflector());

  return async (token: string): Promise<Outcome> => {
    const request = { headers: { authorization: `Bearer ${token}` } };
    const headers = new Map<string, string>();
    const reply = { header: (name: string, value: string) => headers.set(name, value) };
    const context = {
      getType: () => 'http',
      getHandler: () => () => undefined,
      getClass: () => Object,
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
    } as unknown as ExecutionContext;
    try {
      await guard.canActivate(context);
      return { accepted: true };
    } catch (error) {
      return { accepted: false, error, headers };
    }
  };
}

const expectInvalid = (outcome: Outcome): void => {
  expect(outcome).toMatchObject({ accepted: false });
  if (!outcome.accepted) expect(outcome.error).toBeInstanceOf(UnauthorizedException);
};

const expectUnavailable = (outcome: Outcome): void => {
  expect(outcome).toMatchObject({ accepted: false });
  if (outcome.accepted) return;
  // Transient: the problem filter answers 503 with this Retry-After (see ADR 0018).
  expect(outcome.error).toBeInstanceOf(JwksUnavailableError);
  expect(outcome.headers.get('Retry-After')).toMatch(/^\d+$/);
};

describe('access tokens verified against a JWKS served over HTTP', () => {
  let jwks: LocalJwksServer;
  let keyA: SigningKey;
  let keyB: SigningKey;
  let stranger: SigningKey;

  beforeAll(async () => {
    [keyA, keyB, stranger] = [signingKey(), signingKey(), signingKey()];
    jwks = await LocalJwksServer.start();
  });
  beforeEach(() => {
    jwks.publish(keyA);
    jwks.requests = 0;
  });
  afterAll(async () => {
    await jwks?.stop();
    rmSync(keyDir, { recursive: true, force: true });
  });

  describe('rotation without a restart', () => {
    // Short enough to wait out in a test; the waits below only need to be longer than it.
    const cooldownMs = 200;

    it('accepts a token of the published key, then of a key published later, with the same verifier', async () => {
      const verify = verifierOf(jwks.url, { JWT_JWKS_COOLDOWN_MS: String(cooldownMs) });

      expect(await verify(await accessToken(keyA, claims))).toEqual({ accepted: true });
      expect(jwks.requests).toBe(1);
      // Cached: more tokens of a known key cost identity nothing.
      expect(await verify(await accessToken(keyA, claims))).toEqual({ accepted: true });
      expect(jwks.requests).toBe(1);

      jwks.publish(keyA, keyB); // identity starts the rotation: the new key is published too
      await sleep(cooldownMs * 2);
      expect(await verify(await accessToken(keyB, claims))).toEqual({ accepted: true });
      expect(jwks.requests).toBe(2);

      jwks.publish(keyB); // the old key is retired
      expect(await verify(await accessToken(keyB, claims))).toEqual({ accepted: true });
      expect(await verify(await accessToken(keyA, claims))).toEqual({ accepted: true }); // still cached
    });

    it('accepts the new key when the JWKS switched to it alone', async () => {
      const verify = verifierOf(jwks.url, { JWT_JWKS_COOLDOWN_MS: String(cooldownMs) });
      expect(await verify(await accessToken(keyA, claims))).toEqual({ accepted: true });
      jwks.publish(keyB);
      await sleep(cooldownMs * 2);
      expect(await verify(await accessToken(keyB, claims))).toEqual({ accepted: true });
    });
  });

  describe('forged and unknown keys', () => {
    it.each([
      ['a key identity never published', async () => accessToken(stranger, claims)],
      [
        'a stranger key claiming the kid of the published key',
        async () => accessToken(stranger, claims, keyA.kid),
      ],
      ['a stranger key with no kid', async () => accessToken(stranger, claims, undefined)],
      [
        'the published key for another audience',
        async () => accessToken(keyA, { ...claims, audience: 'someone-else' }),
      ],
    ])('rejects a token signed by %s with 401', async (_case, token) => {
      const verify = verifierOf(jwks.url, { JWT_JWKS_COOLDOWN_MS: '0' });
      expectInvalid(await verify(await token()));
    });

    it('fetches at most once per cooldown, however many unknown kids arrive', async () => {
      const verify = verifierOf(jwks.url, { JWT_JWKS_COOLDOWN_MS: '600000' });
      expect(await verify(await accessToken(keyA, claims))).toEqual({ accepted: true });
      const forged = await Promise.all(
        Array.from({ length: 20 }, () => accessToken(stranger, claims, `forged-${Math.random()}`)),
      );
      for (const outcome of await Promise.all(forged.map(verify))) expectInvalid(outcome);
      expect(jwks.requests).toBe(1);
    });

    it('shares one fetch among concurrent tokens of a new key', async () => {
      const verify = verifierOf(jwks.url, { JWT_JWKS_COOLDOWN_MS: '600000' });
      jwks.publish(keyA, keyB);
      const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => accessToken(keyB, claims)));
      const outcomes = await Promise.all(tokens.map(verify));
      expect(outcomes).toEqual(tokens.map(() => ({ accepted: true })));
      expect(jwks.requests).toBe(1);
    });
  });

  describe('a JWKS that cannot be fetched', () => {
    // Each failed fetch logs a warning on purpose; keep the test output for test results.
    beforeAll(() => {
      Logger.overrideLogger(false);
    });
    afterAll(() => {
      Logger.overrideLogger(true);
    });

    it('answers 503, never an unverified pass, when nothing answers at the URL', async () => {
      const closedPort = await freePort();
      const verify = verifierOf(`http://127.0.0.1:${closedPort}/.well-known/jwks.json`);
      expectUnavailable(await verify(await accessToken(keyA, claims)));
    });

    it('answers 503 when identity answers the JWKS with an error', async () => {
      jwks.misbehave('fail');
      const verify = verifierOf(jwks.url);
      expectUnavailable(await verify(await accessToken(keyA, claims)));
    });

    it('gives up after the timeout when identity does not answer', async () => {
      jwks.misbehave('hang');
      const verify = verifierOf(jwks.url, { JWT_JWKS_TIMEOUT_MS: '300' });
      expectUnavailable(await verify(await accessToken(keyA, claims)));
    });

    it('keeps verifying tokens of cached keys while identity is down, and answers 503 for new kids', async () => {
      const verify = verifierOf(jwks.url, { JWT_JWKS_COOLDOWN_MS: '0' });
      expect(await verify(await accessToken(keyA, claims))).toEqual({ accepted: true });
      jwks.misbehave('fail');
      expect(await verify(await accessToken(keyA, claims))).toEqual({ accepted: true });
      expectUnavailable(await verify(await accessToken(keyB, claims)));
    });

    it('stays closed to forged tokens while the JWKS fails', async () => {
      jwks.misbehave('fail');
      const verify = verifierOf(jwks.url, { JWT_JWKS_COOLDOWN_MS: '0' });
      const outcome = await verify(await accessToken(stranger, claims));
      expect(outcome.accepted).toBe(false);
    });
  });
});
