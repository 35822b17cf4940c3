import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { ManualClock } from '#lib/testing';
import { JwksUnavailableError } from './jwks-unavailable.error.js';
import { JwksVerificationKeySource } from './jwks-verification-key.source.js';
import { UnknownSigningKeyError } from './unknown-signing-key.error.js';

const jwkOf = (kid: string): JsonWebKey => ({
  ...generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }),
  kid,
  alg: 'RS256',
  use: 'sig',
});
const keyA = jwkOf('key-a');
const keyB = jwkOf('key-b');

const settings = {
  url: 'http://127.0.0.1:1/.well-known/jwks.json',
  cacheMaxAgeMs: 300_000,
  cooldownMs: 10_000,
  timeoutMs: 1_000,
};

/** Replaces fetch: each call takes the next planned answer (a key set, or a failure). */
function plannedFetch(...answers: Array<JsonWebKey[] | 'down'>): jest.SpiedFunction<typeof fetch> {
  const spy = jest.spyOn(globalThis, 'fetch');
  for (const answer of answers) {
    if (answer === 'down') spy.mockRejectedValueOnce(new TypeError('fetch failed'));
    else spy.mockResolvedValueOnce(Response.json({ keys: answer }));
  }
  return spy;
}

describe('JwksVerificationKeySource', () => {
  let clock: ManualClock;
  let source: JwksVerificationKeySource;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterAll(() => {
    Logger.overrideLogger(true);
  });
  beforeEach(() => {
    clock = new ManualClock();
    source = new JwksVerificationKeySource(settings, clock);
  });
  afterEach(() => jest.restoreAllMocks());

  it('counts a failed fetch toward the cooldown, so an outage is not hammered', async () => {
    const fetchSpy = plannedFetch('down', [keyA]);
    await expect(source.keyFor('key-a')).rejects.toBeInstanceOf(JwksUnavailableError);
    await expect(source.keyFor('key-a')).rejects.toBeInstanceOf(JwksUnavailableError);
    expect(fetchSpy).toHaveBeenCalledTimes(1);

    clock.advanceMs(settings.cooldownMs);
    await expect(source.keyFor('key-a')).resolves.toBeDefined();
    expect(fetchSpy).toHaveBeenCalledTimes(2);
  });

  it('tells an unknown kid from an outage once the set is fetched', async () => {
    plannedFetch([keyA]);
    await expect(source.keyFor('key-z')).rejects.toBeInstanceOf(UnknownSigningKeyError);
  });

  it('keeps serving a stale set while its refresh runs, and takes the refreshed one after', async () => {
    const fetchSpy = plannedFetch([keyA], [keyB]);
    await source.keyFor('key-a');
    clock.advanceMs(settings.cacheMaxAgeMs);

    await expect(source.keyFor('key-a')).resolves.toBeDefined(); // from the stale set
    expect(fetchSpy).toHaveBeenCalledTimes(2);
    await expect(source.keyFor('key-b')).resolves.toBeDefined(); // from the refreshed set
    expect(fetchSpy).toHaveBeenCalledTimes(2);
  });

  it('keeps a stale set when its refresh fails, so an identity outage spares known keys', async () => {
    plannedFetch([keyA], 'down');
    await source.keyFor('key-a');
    clock.advanceMs(settings.cacheMaxAgeMs);
    await expect(source.keyFor('key-a')).resolves.toBeDefined();
    await expect(source.keyFor('key-a')).resolves.toBeDefined();
  });

  it('ignores entries that cannot verify RS256 tokens, and keeps the good ones beside them', async () => {
    plannedFetch([
      { ...keyB, use: 'enc' },
      { kty: 'RSA', kid: 'broken', e: 'AQAB' },
      { ...keyB, kid: 'es256', alg: 'ES256' },
      keyA,
    ]);
    await expect(source.keyFor('key-a')).resolves.toBeDefined();
    await expect(source.keyFor('key-b')).rejects.toBeInstanceOf(UnknownSigningKeyError);
    await expect(source.keyFor('broken')).rejects.toBeInstanceOf(UnknownSigningKeyError);
    await expect(source.keyFor('es256')).rejects.toBeInstanceOf(UnknownSigningKeyError);
  });

  it('treats a response that is not a key set as an outage', async () => {
    jest.spyOn(globalThis, 'fetch').mockResolvedValueOnce(Response.json({ hello: 'world' }));
    await expect(source.keyFor('key-a')).rejects.toBeInstanceOf(JwksUnavailableError);
  });
});
