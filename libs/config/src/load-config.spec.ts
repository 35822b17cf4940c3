import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { ConfigValidationError } from './config-validation.error.js';
import { loadConfig } from './load-config.js';

const keyDir = () => mkdtempSync(join(tmpdir(), 'commerce-keys-'));

function problemsOf(environment: Record<string, string>): string[] {
  try {
    loadConfig({ JWT_DEV_KEY_DIR: keyDir(), ...environment });
  } catch (error) {
    if (error instanceof ConfigValidationError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('builds a working local configuration from defaults alone', () => {
    const config = loadConfig({ JWT_DEV_KEY_DIR: keyDir() });
    expect(config.http.port).toBe(3000);
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/commerce');
    expect(config.database.runMigrations).toBe(true);
    expect(config.auth.accessTokenTtlSeconds).toBe(900);
    expect(config.tracing.otlpEndpoint).toBeUndefined();
  });

  it.each([
    ['DATABASE_URL', 'mysql://root@localhost/shop'],
    ['DATABASE_URL', 'not a url'],
    ['HTTP_PORT', 'eighty'],
    ['HTTP_PORT', '70000'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['NODE_ENV', 'staging'],
    ['DATABASE_RUN_MIGRATIONS', 'maybe'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
    ['LOG_LEVEL', 'loud'],
    ['PAYMENT_PROVIDER_DECLINE_RATE', '1.5'],
    ['MESSAGING_TRANSPORT', 'kafka'],
    ['RABBITMQ_URL', 'http://127.0.0.1:5672'],
    ['MESSAGING_RMQ_EXCHANGE', 'bad exchange name'],
    ['MESSAGING_RMQ_PREFETCH', '0'],
    ['MESSAGING_HANDLER_CONCURRENCY', 'many'],
    ['PAYMENT_PROVIDER_OUTAGE_RATE', 'half'],
    ['CATALOG_CACHE_TTL_SECONDS', '0'],
    ['MESSAGING_TRANSPORT', 'carrier-pigeon'],
  ])('refuses %s=%s and names the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toContain(name);
  });

  it('does not echo secret values in its messages', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://root:hunter2@db/shop' });
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf({ HTTP_PORT: 'x', REDIS_URL: 'nope' });
    expect(problems.join('\n')).toEqual(expect.stringContaining('HTTP_PORT'));
    expect(problems.join('\n')).toEqual(expect.stringContaining('REDIS_URL'));
  });

  it('converts numbers, booleans and lists', () => {
    const config = loadConfig({
      JWT_DEV_KEY_DIR: keyDir(),
      HTTP_PORT: '8080',
      DATABASE_RUN_MIGRATIONS: 'false',
      HTTP_CORS_ORIGINS: 'https://shop.example, https://admin.example ,',
    });
    expect(config.http.port).toBe(8080);
    expect(config.database.runMigrations).toBe(false);
    expect(config.http.corsOrigins).toEqual(['https://shop.example', 'https://admin.example']);
  });

  it('reads the split-mode transport settings', () => {
    const config = loadConfig({
      JWT_DEV_KEY_DIR: keyDir(),
      MESSAGING_TRANSPORT: 'rmq',
      RABBITMQ_URL: 'amqp://shop:secret@broker:5672/prod',
      MESSAGING_RMQ_PREFETCH: '64',
      MESSAGING_INLINE_RETRY_MAX_MS: '0',
    });

    expect(config.messaging.transport).toBe('rmq');
    expect(config.messaging.rmq).toEqual({
      url: 'amqp://shop:secret@broker:5672/prod',
      exchange: 'commerce',
      prefetch: 64,
    });
    expect(config.messaging.inlineRetryMaxMs).toBe(0);
  });

  it('refuses to forget processed messages before the outbox rows that could replay them', () => {
    const problems = problemsOf({
      MESSAGING_OUTBOX_RETENTION_DAYS: '14',
      MESSAGING_PROCESSED_RETENTION_DAYS: '7',
    });
    expect(problems.join()).toContain('MESSAGING_PROCESSED_RETENTION_DAYS');
  });

  it('refuses an outbox lease that could end before its publish times out', () => {
    expect(
      problemsOf({
        MESSAGING_OUTBOX_LEASE_MS: '30000',
        MESSAGING_OUTBOX_PUBLISH_TIMEOUT_MS: '30000',
      }),
    ).toEqual([
      'MESSAGING_OUTBOX_LEASE_MS must be longer than MESSAGING_OUTBOX_PUBLISH_TIMEOUT_MS',
    ]);
    const { relay } = loadConfig({
      JWT_DEV_KEY_DIR: keyDir(),
      MESSAGING_OUTBOX_LEASE_MS: '45000',
    }).messaging;
    expect(relay).toMatchObject({
      leaseMs: 45_000,
      publishTimeoutMs: 30_000,
      publishConcurrency: 16,
    });
  });

  it('reads fractional rates for the simulated payment provider', () => {
    const config = loadConfig({ JWT_DEV_KEY_DIR: keyDir(), PAYMENT_PROVIDER_DECLINE_RATE: '0.25' });
    expect(config.payments.provider.declineRate).toBe(0.25);
    expect(config.payments.breaker.resetTimeoutMs).toBe(10_000);
  });

  it('requires ADMIN_PASSWORD of at least 12 characters when ADMIN_EMAIL is set', () => {
    expect(problemsOf({ ADMIN_EMAIL: 'admin@example.test' }).join()).toContain('ADMIN_PASSWORD');
    expect(
      problemsOf({ ADMIN_EMAIL: 'admin@example.test', ADMIN_PASSWORD: 'short' }).join(),
    ).toContain('ADMIN_PASSWORD');
    const config = loadConfig({
      JWT_DEV_KEY_DIR: keyDir(),
      ADMIN_EMAIL: 'Admin@Example.test',
      ADMIN_PASSWORD: 'a-long-enough-secret',
    });
    expect(config.bootstrapAdmin?.email).toBe('admin@example.test');
  });

  it('refuses to start in production without configured keys', () => {
    expect(problemsOf({ NODE_ENV: 'production' }).join()).toContain('JWT_PUBLIC_KEY');
  });

  it('generates a development key pair once and reuses it on the next start', () => {
    const dir = keyDir();
    const first = loadConfig({ JWT_DEV_KEY_DIR: dir });
    const second = loadConfig({ JWT_DEV_KEY_DIR: dir });
    expect(first.auth.keys?.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    expect(second.auth.keys?.keyId).toBe(first.auth.keys?.keyId);
    expect(readdirSync(dir)).toEqual(['jwt-dev-private.pem']);
  });

  it('takes configured PEM keys, with escaped newlines, and derives a stable key id', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const config = loadConfig({ JWT_PRIVATE_KEY: pem.replace(/\n/g, '\\n') });
    expect(config.auth.keys?.privateKeyPem).toBe(pem);
    expect(config.auth.keys?.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    expect(config.auth.keys?.keyId).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('rejects a key that is not a PEM key', () => {
    expect(problemsOf({ JWT_PRIVATE_KEY: 'secret' }).join()).toContain('JWT_PRIVATE_KEY');
  });
});
