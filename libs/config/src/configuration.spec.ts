import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError } from './config-validation.error.js';
import { readConfiguration } from './configuration.js';
import { AuthConfig } from './sections/auth.config.js';
import { DatabaseConfig } from './sections/database.config.js';
import { HttpConfig } from './sections/http.config.js';
import { MessagingConfig } from './sections/messaging.config.js';
import { PLATFORM_CONFIG_SECTIONS } from './sections/platform-config-sections.js';
import { ShutdownConfig } from './sections/shutdown.config.js';
import { TracingConfig } from './sections/tracing.config.js';

const keyDir = () => mkdtempSync(join(tmpdir(), 'commerce-keys-'));

const load = (environment: Record<string, string>) =>
  readConfiguration(PLATFORM_CONFIG_SECTIONS, { JWT_DEV_KEY_DIR: keyDir(), ...environment });

function problemsOf(environment: Record<string, string>): string[] {
  try {
    load(environment);
  } catch (error) {
    if (error instanceof ConfigValidationError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('the platform configuration sections', () => {
  it('build a working local configuration from defaults alone', () => {
    const config = load({});
    expect(config.get(HttpConfig).port).toBe(3000);
    expect(config.get(DatabaseConfig).url).toBe('postgres://postgres@127.0.0.1:5432/commerce');
    expect(config.get(DatabaseConfig).runMigrations).toBe(true);
    expect(config.get(AuthConfig).accessTokenTtlSeconds).toBe(900);
    expect(config.get(TracingConfig).otlpEndpoint).toBeUndefined();
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
    ['MESSAGING_TRANSPORT', 'kafka'],
    ['RABBITMQ_URL', 'http://127.0.0.1:5672'],
    ['MESSAGING_RMQ_EXCHANGE', 'bad exchange name'],
    ['MESSAGING_RMQ_PREFETCH', '0'],
    ['MESSAGING_HANDLER_CONCURRENCY', 'many'],
    ['THROTTLE_LIMIT', '0'],
    ['SHUTDOWN_GRACE_MS', 'soon'],
    ['SHUTDOWN_IDLE_CONNECTION_WAIT_MS', '-1'],
    // Half of the default 25 s grace: nothing would be left for closing the app.
    ['SHUTDOWN_IDLE_CONNECTION_WAIT_MS', '12500'],
  ])('refuse %s=%s and name the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toContain(name);
  });

  it('wait for idle connections less than half the grace period', () => {
    const shutdown = load({
      SHUTDOWN_GRACE_MS: '30000',
      SHUTDOWN_IDLE_CONNECTION_WAIT_MS: '14999',
    });
    expect(shutdown.get(ShutdownConfig).idleConnectionWaitMs).toBe(14_999);
    expect(load({}).get(ShutdownConfig).idleConnectionWaitMs).toBe(5_000);
  });

  it('do not echo secret values in their messages', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://root:hunter2@db/shop' });
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('report every bad variable of every section at once, a shared one once', () => {
    const problems = problemsOf({ HTTP_PORT: 'x', REDIS_URL: 'nope', NODE_ENV: 'staging' });
    expect(problems.join('\n')).toContain('HTTP_PORT');
    expect(problems.join('\n')).toContain('REDIS_URL');
    // NODE_ENV is read by the service and the auth sections.
    expect(problems.filter((problem) => problem.startsWith('NODE_ENV'))).toHaveLength(1);
  });

  it('convert numbers, booleans and lists', () => {
    const config = load({
      HTTP_PORT: '8080',
      DATABASE_RUN_MIGRATIONS: 'false',
      HTTP_CORS_ORIGINS: 'https://shop.example, https://admin.example ,',
    });
    expect(config.get(HttpConfig).port).toBe(8080);
    expect(config.get(DatabaseConfig).runMigrations).toBe(false);
    expect(config.get(HttpConfig).corsOrigins).toEqual([
      'https://shop.example',
      'https://admin.example',
    ]);
  });

  it('read the read replicas as a list, none by default, and refuse a bad one by name', () => {
    expect(load({}).get(DatabaseConfig).readReplicaUrls).toEqual([]);
    expect(
      load({
        DATABASE_READ_REPLICA_URLS:
          'postgres://app@replica-1:5432/shop, postgres://app@replica-2/shop,',
      }).get(DatabaseConfig).readReplicaUrls,
    ).toEqual(['postgres://app@replica-1:5432/shop', 'postgres://app@replica-2/shop']);
    const problems = problemsOf({
      DATABASE_READ_REPLICA_URLS:
        'postgres://app@replica-1/shop,mysql://app:hunter2@replica-2/shop',
    });
    expect(problems.join('\n')).toContain('DATABASE_READ_REPLICA_URLS');
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('read the split-mode transport settings', () => {
    const messaging = load({
      MESSAGING_TRANSPORT: 'rmq',
      RABBITMQ_URL: 'amqp://shop:secret@broker:5672/prod',
      MESSAGING_RMQ_PREFETCH: '64',
      MESSAGING_INLINE_RETRY_MAX_MS: '0',
    }).get(MessagingConfig);

    expect(messaging.transport).toBe('rmq');
    expect(messaging.rmq).toEqual({
      url: 'amqp://shop:secret@broker:5672/prod',
      exchange: 'commerce',
      prefetch: 64,
    });
    expect(messaging.inlineRetryMaxMs).toBe(0);
  });

  it('refuse to forget processed messages before the outbox rows that could replay them', () => {
    const problems = problemsOf({
      MESSAGING_OUTBOX_RETENTION_DAYS: '14',
      MESSAGING_PROCESSED_RETENTION_DAYS: '7',
    });
    expect(problems.join()).toContain('MESSAGING_PROCESSED_RETENTION_DAYS');
  });

  it('refuse an outbox lease that could end before its publish times out', () => {
    expect(
      problemsOf({
        MESSAGING_OUTBOX_LEASE_MS: '30000',
        MESSAGING_OUTBOX_PUBLISH_TIMEOUT_MS: '30000',
      }),
    ).toEqual([
      'MESSAGING_OUTBOX_LEASE_MS must be longer than MESSAGING_OUTBOX_PUBLISH_TIMEOUT_MS',
    ]);
    const { relay } = load({ MESSAGING_OUTBOX_LEASE_MS: '45000' }).get(MessagingConfig);
    expect(relay).toMatchObject({
      leaseMs: 45_000,
      publishTimeoutMs: 30_000,
      publishConcurrency: 16,
    });
  });

  it('ignore variables of sections that are not read, context settings included', () => {
    expect(problemsOf({ CATALOG_CACHE_TTL_SECONDS: 'abc', ADMIN_EMAIL: 'not-an-email' })).toEqual(
      [],
    );
  });

  it('refuse to start in production without configured keys', () => {
    expect(problemsOf({ NODE_ENV: 'production' }).join()).toContain('JWT_PUBLIC_KEY');
  });

  it('generate a development key pair once and reuse it on the next start', () => {
    const dir = keyDir();
    const first = load({ JWT_DEV_KEY_DIR: dir }).get(AuthConfig);
    const second = load({ JWT_DEV_KEY_DIR: dir }).get(AuthConfig);
    expect(first.keys?.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    expect(second.keys?.keyId).toBe(first.keys?.keyId);
    expect(readdirSync(dir)).toEqual(['jwt-dev-private.pem']);
  });

  it('take configured PEM keys, with escaped newlines, and derive a stable key id', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const { keys } = load({ JWT_PRIVATE_KEY: pem.replace(/\n/g, '\\n') }).get(AuthConfig);
    expect(keys?.privateKeyPem).toBe(pem);
    expect(keys?.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    expect(keys?.keyId).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('reject a key that is not a PEM key', () => {
    expect(problemsOf({ JWT_PRIVATE_KEY: 'secret' }).join()).toContain('JWT_PRIVATE_KEY');
  });
});
