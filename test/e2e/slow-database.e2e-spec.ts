import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import {
  createThrowawayDatabase,
  type ThrowawayDatabase,
} from '../integration/saga/throwaway-database.js';
import { type RunningApp, startApp } from '../support/app-process.js';
import { eventually } from './orders-shop.js';

const STATEMENT_TIMEOUT_MS = 3000;
/** How long a request waits for a pooled connection: well below the statement timeout. */
const CONNECT_TIMEOUT_MS = 1000;

/**
 * A slow database is a transient fault, like a refused connection: 503 with Retry-After, so
 * clients and gateways retry instead of reporting a bug. The app has a database of its own, so
 * the table lock this test takes stalls no other suite.
 */
describe('a slow database', () => {
  let database: ThrowawayDatabase;
  let app: RunningApp;
  let locker: pg.Client;

  beforeAll(async () => {
    database = await createThrowawayDatabase('slow');
    app = await startApp({
      DATABASE_URL: database.url,
      DATABASE_POOL_MAX: '1',
      DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    });
    locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
  });

  afterAll(async () => {
    await locker?.query('ROLLBACK').catch(() => undefined);
    await locker?.end();
    await app?.stop();
    await database?.drop();
  });

  // A search nobody ran before: the Redis cache cannot answer it, Postgres must.
  const search = () => fetch(`${app.baseUrl}/v1/products?q=zq${randomUUID().slice(0, 8)}`);

  it('answers 503 with Retry-After to statement and pool timeouts, then recovers', async () => {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE catalog.products IN ACCESS EXCLUSIVE MODE');
    // With one pooled connection, the first search holds it while it waits for the lock until
    // its statement timeout; the others wait for the connection until the connect timeout.
    const responses = await Promise.all([search(), search(), search()]);
    await locker.query('ROLLBACK');

    for (const response of responses) {
      expect(`${response.status} ${await response.text()}`).toMatch(/^503 /);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // The app writes its logs in chunks, up to 250 ms after the line: the answers come first.
    const logs = await eventually(
      async () => app.logs(),
      (text) =>
        text.includes('canceling statement due to statement timeout') &&
        text.includes('timeout exceeded when trying to connect'),
      { what: 'both timeouts in the logs', timeoutMs: 10_000 },
    );
    expect(logs).toContain('canceling statement due to statement timeout');
    expect(logs).toContain('timeout exceeded when trying to connect');

    // Once the lock is gone the same request succeeds: nothing was left broken.
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = (await search()).status;
      if (status !== 200) await sleep(200);
    }
    expect(status).toBe(200);
  });

  it('answers a login with 503 and Retry-After while the users table is locked', async () => {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE identity.users IN ACCESS EXCLUSIVE MODE');
    const response = await fetch(`${app.baseUrl}/v1/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        username: `slow-${randomUUID().slice(0, 8)}@example.test`,
        password: 'whatever-it-is',
      }),
    });
    await locker.query('ROLLBACK');

    // The token endpoint answers in RFC 6749 form: `temporarily_unavailable` (RFC 6749 §4.1.2.1).
    expect(`${response.status} ${await response.text()}`).toMatch(
      /^503 .*"error":"temporarily_unavailable"/,
    );
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
