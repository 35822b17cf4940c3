import { generateKeyPairSync, randomUUID } from 'node:crypto';

/** Where the test suites find the real services; CI creates the database (see .ci/run). */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/commerce_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

export interface TestKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

let keys: TestKeyPair | undefined;

/** One RSA key pair per test worker: apps under test sign with it and tests can forge tokens with it. */
export function testKeyPair(): TestKeyPair {
  if (!keys) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keys = {
      privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
  }
  return keys;
}

export const TEST_ISSUER = 'http://commerce.test';
export const TEST_AUDIENCE = 'commerce-api';

/**
 * Environment for an app under test. Each app gets its own SERVICE_NAME so that rate-limit
 * counters in the shared Redis never leak between test files; pass the same name to model replicas.
 */
export function testAppEnvironment(overrides: Record<string, string> = {}): Record<string, string> {
  const { privateKeyPem, publicKeyPem } = testKeyPair();
  return {
    NODE_ENV: 'test',
    SERVICE_NAME: `test-${randomUUID().slice(0, 8)}`,
    HTTP_HOST: '127.0.0.1',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    LOG_LEVEL: 'info',
    JWT_ISSUER: TEST_ISSUER,
    JWT_AUDIENCE: TEST_AUDIENCE,
    JWT_PRIVATE_KEY: privateKeyPem,
    JWT_PUBLIC_KEY: publicKeyPem,
    THROTTLE_LIMIT: '10000',
    LOGIN_THROTTLE_LIMIT_PER_ACCOUNT: '1000',
    LOGIN_THROTTLE_LIMIT_PER_IP: '1000',
    SHUTDOWN_GRACE_MS: '10000',
    // No proxy in front: idle test clients are closed at once. The split stack, behind its
    // gateway, sets the production-like wait (test/support/split-stack.ts).
    SHUTDOWN_IDLE_CONNECTION_WAIT_MS: '0',
    ...overrides,
  };
}

export const uniqueEmail = (label = 'user'): string =>
  `${label}-${randomUUID().slice(0, 12)}@example.test`;
