// What startup-footprint.mjs and catalog-replicas.mjs share: a database and a RabbitMQ virtual
// host of the run's own (both removed at the end), each app's environment in split mode as
// start-split gives it, the migrations applied once, and an access token the apps accept.
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, exportJWK, importPKCS8, importSPKI, SignJWT } from 'jose';
import pg from 'pg';
import { appEnvironment, DATABASE_URL, ROOT } from './support.mjs';

/** The five apps of split mode, in the order start-split starts them. */
export const SPLIT_APPS = ['identity', 'catalog', 'orders', 'payments', 'notifications'];

/** The built entry point of an app, or of its bundle (`npm run bundle`). */
export const entryOf = (app, { bundle = false, script = 'main' } = {}) =>
  bundle
    ? resolve(ROOT, `dist/bundle/${app}/${script}.mjs`)
    : resolve(ROOT, `dist/apps/${app}/src/${script}.js`);

const rabbitmqctl = (...args) =>
  promisify(execFile)('rabbitmqctl', ['-q', ...args], { timeout: 30_000 });

/**
 * A database and a virtual host named after `tag` and a random suffix, so that two runs (or the
 * test suites) never meet; the database on the server of `serverUrl`. `remove()` drops both;
 * call it in a finally.
 */
export async function scratchBackends(tag, serverUrl = DATABASE_URL) {
  const suffix = randomUUID().slice(0, 8);
  const vhost = `bench-${tag}-${suffix}`;
  const databaseUrl = new URL(serverUrl);
  databaseUrl.pathname = `/commerce_bench_${tag.replace(/-/g, '_')}_${suffix}`;
  await rabbitmqctl('add_vhost', vhost);
  await rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
  return {
    databaseUrl: databaseUrl.toString(),
    rabbitmqUrl: `amqp://guest:guest@127.0.0.1:5672/${vhost}`,
    async remove() {
      await rabbitmqctl('delete_vhost', vhost).catch(() => undefined);
      const server = new URL(serverUrl);
      server.pathname = '/postgres';
      const admin = new pg.Client({ connectionString: server.toString() });
      await admin.connect();
      try {
        await admin.query(
          `DROP DATABASE IF EXISTS "${databaseUrl.pathname.slice(1)}" WITH (FORCE)`,
        );
      } finally {
        await admin.end();
      }
    },
  };
}

/**
 * The environment of `app` ('monolith' or a split app) on `port`: production settings from
 * support.mjs, and for a split app what start-split fixes (RMQ transport, one trusted proxy hop,
 * no migrations at start, a service name per app so that replicas of one app share its queues).
 * Apps other than identity verify tokens with the public key instead of identity's JWKS, so that
 * each can start alone.
 */
export function appEnvironmentOf(app, port, backends, overrides = {}) {
  const base = appEnvironment(port, {
    DATABASE_URL: backends.databaseUrl,
    DATABASE_RUN_MIGRATIONS: 'false',
    ...overrides,
  });
  if (app === 'monolith') return base;
  const environment = {
    ...base,
    SERVICE_NAME: `${base.SERVICE_NAME}-${app}`,
    MESSAGING_TRANSPORT: 'rmq',
    RABBITMQ_URL: backends.rabbitmqUrl,
    HTTP_TRUST_PROXY: '1',
  };
  // Only identity signs; the others hold the public key alone, as they would in production.
  if (app !== 'identity') delete environment.JWT_PRIVATE_KEY;
  return environment;
}

/** Applies every context's migrations (the monolith's migrate covers them all) to a new database. */
export async function migrateAll(backends) {
  const child = spawn(
    process.execPath,
    [entryOf('monolith', { script: 'migrate' }), '--create-database'],
    {
      cwd: ROOT,
      env: appEnvironment(0, { DATABASE_URL: backends.databaseUrl }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`migrate exited ${code}:\n${output}`);
}

/**
 * A demo catalog of `products` in the run's database (the monolith's seed command), analysed as
 * autovacuum would do minutes later so that searches get the planner's real plans. Returns the
 * ids of the first `firstIds` products by SKU, for routes that read one product.
 */
export async function seedDemoCatalog(backends, products, firstIds) {
  await promisify(execFile)(
    process.execPath,
    [entryOf('monolith', { script: 'seed' }), '--products', String(products)],
    { cwd: ROOT, env: appEnvironment(0, { DATABASE_URL: backends.databaseUrl }) },
  );
  const client = new pg.Client({ connectionString: backends.databaseUrl });
  await client.connect();
  try {
    await client.query('VACUUM ANALYZE catalog.products');
    const { rows } = await client.query('SELECT id FROM catalog.products ORDER BY sku LIMIT $1', [
      firstIds,
    ]);
    return rows.map((row) => row.id);
  } finally {
    await client.end();
  }
}

/**
 * An admin access token for a random subject, signed with the run's key pair (support.mjs makes
 * one per run) as identity signs them (RS256, `kid` = RFC 7638 thumbprint, the same issuer and
 * audience): every app accepts it without a user row, so a warm-up reaches authenticated routes.
 */
export async function adminAccessToken() {
  const environment = appEnvironment(0);
  const publicJwk = await exportJWK(await importSPKI(environment.JWT_PUBLIC_KEY, 'RS256'));
  return new SignJWT({ roles: ['customer', 'admin'] })
    .setProtectedHeader({
      alg: 'RS256',
      kid: await calculateJwkThumbprint(publicJwk),
      typ: 'at+jwt',
    })
    .setSubject(randomUUID())
    .setIssuer(environment.JWT_ISSUER)
    .setAudience(environment.JWT_AUDIENCE)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(await importPKCS8(environment.JWT_PRIVATE_KEY, 'RS256'));
}
