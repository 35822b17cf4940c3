import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError } from './config-validation.error.js';
import { rsaKeyId } from './jwt-keys.js';
import { authConfig } from './sections/auth.config.js';

function rsaPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const current = rsaPair();
const retired = rsaPair();
const older = rsaPair();
const JWKS_URL = 'http://127.0.0.1:3001/.well-known/jwks.json';

const load = (environment: Record<string, string>) =>
  authConfig.load({
    JWT_DEV_KEY_DIR: mkdtempSync(join(tmpdir(), 'commerce-keys-')),
    ...environment,
  });

function problemsOf(environment: Record<string, string>): string {
  try {
    load(environment);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems.join('\n');
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('JWT key configuration', () => {
  describe('the signing pair', () => {
    it('accepts a private key with its own public key', () => {
      const config = load({
        JWT_PRIVATE_KEY: current.privateKeyPem,
        JWT_PUBLIC_KEY: current.publicKeyPem,
      });
      expect(config.keys?.keyId).toBe(rsaKeyId(current.publicKeyPem));
    });

    it('refuses a private and a public key that are not one pair, naming both variables', () => {
      const problems = problemsOf({
        JWT_PRIVATE_KEY: current.privateKeyPem,
        JWT_PUBLIC_KEY: retired.publicKeyPem,
      });
      expect(problems).toContain('JWT_PRIVATE_KEY and JWT_PUBLIC_KEY are not one key pair');
    });

    it('refuses a key that is not RSA, since tokens are RS256', () => {
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString();
      expect(problemsOf({ JWT_PRIVATE_KEY: ec })).toMatch(/JWT_PRIVATE_KEY: .*RSA/);
    });
  });

  describe('keys retired by a rotation (JWT_PREVIOUS_PUBLIC_KEYS)', () => {
    it.each([
      ['one after another', `${retired.publicKeyPem}${older.publicKeyPem}`],
      ['separated by a blank line', `${retired.publicKeyPem}\n\n${older.publicKeyPem}`],
      ['separated by a comma', `${retired.publicKeyPem},${older.publicKeyPem}`],
      [
        'with escaped newlines',
        `${retired.publicKeyPem}\n${older.publicKeyPem}`.replace(/\n/g, '\\n'),
      ],
    ])('reads PEM blocks %s, each with its RFC 7638 kid', (_form, value) => {
      const config = load({
        JWT_PRIVATE_KEY: current.privateKeyPem,
        JWT_PREVIOUS_PUBLIC_KEYS: value,
      });
      expect(config.previousPublicKeys.map((key) => key.keyId)).toEqual([
        rsaKeyId(retired.publicKeyPem),
        rsaKeyId(older.publicKeyPem),
      ]);
    });

    it('leaves out the current key and repeats, so the JWKS lists each key once', () => {
      const config = load({
        JWT_PRIVATE_KEY: current.privateKeyPem,
        JWT_PREVIOUS_PUBLIC_KEYS: [current, retired, retired]
          .map((key) => key.publicKeyPem)
          .join(''),
      });
      expect(config.previousPublicKeys.map((key) => key.keyId)).toEqual([
        rsaKeyId(retired.publicKeyPem),
      ]);
    });

    it('has none unless configured', () => {
      expect(load({ JWT_PRIVATE_KEY: current.privateKeyPem }).previousPublicKeys).toEqual([]);
    });

    it.each([
      ['text between the keys', `${retired.publicKeyPem}; and then ${older.publicKeyPem}`],
      ['a truncated key', retired.publicKeyPem.slice(0, 200)],
      [
        'a block that is not a key',
        '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----',
      ],
    ])('refuses %s, naming the variable', (_problem, value) => {
      expect(problemsOf({ JWT_PREVIOUS_PUBLIC_KEYS: value })).toContain('JWT_PREVIOUS_PUBLIC_KEYS');
    });
  });

  describe('verification through identity’s JWKS (JWT_JWKS_URL)', () => {
    it('is off unless configured, so the monolith verifies with its configured key', () => {
      expect(load({ JWT_PRIVATE_KEY: current.privateKeyPem }).jwks).toBeUndefined();
    });

    it('takes the URL with default cache age, cooldown and timeout', () => {
      expect(load({ JWT_JWKS_URL: JWKS_URL }).jwks).toEqual({
        url: JWKS_URL,
        cacheMaxAgeMs: 300_000,
        cooldownMs: 10_000,
        timeoutMs: 2_000,
      });
    });

    it('lets a production app that signs nothing start with the JWKS URL alone', () => {
      const config = load({ NODE_ENV: 'production', JWT_JWKS_URL: JWKS_URL });
      expect(config.keys).toBeUndefined();
      expect(config.jwks?.url).toBe(JWKS_URL);
    });

    it('refuses production with neither keys nor a JWKS URL, naming both ways', () => {
      const problems = problemsOf({ NODE_ENV: 'production' });
      expect(problems).toContain('JWT_PUBLIC_KEY');
      expect(problems).toContain('JWT_JWKS_URL');
    });

    it.each([
      ['JWT_JWKS_URL', 'identity/.well-known/jwks.json'],
      ['JWT_JWKS_URL', 'ftp://identity/jwks.json'],
      ['JWT_JWKS_TIMEOUT_MS', '0'],
      ['JWT_JWKS_COOLDOWN_MS', '-1'],
      ['JWT_JWKS_CACHE_MAX_AGE_MS', 'soon'],
    ])('refuses %s=%s, naming the variable', (name, value) => {
      expect(problemsOf({ [name]: value })).toContain(name);
    });
  });
});
