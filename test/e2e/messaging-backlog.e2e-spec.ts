import { randomUUID } from 'node:crypto';
import { ensureDatabaseExists } from '#lib/database';
import pg from 'pg';
import { type RunningApp, startApp } from '../support/app-process.js';
import { TEST_DATABASE_URL } from '../support/test-environment.js';

// A database of its own: a stuck row left by another suite in the shared one would make
// /health/backlog answer 503 here, and the row this suite plants must not alarm anyone else.
const DATABASE_URL = (() => {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `${url.pathname}_messaging_backlog_e2e`;
  return url.toString();
})();

// In the outbox of a context the monolith runs (it relays those of all five), under an event type
// no handler subscribes to.
const STUCK_EVENT = 'orders.v1.e2e-stuck';
const REMOVE_STUCK_EVENTS = `DELETE FROM orders.outbox WHERE type = '${STUCK_EVENT}'`;
const CONTEXTS = ['identity', 'catalog', 'orders', 'payments', 'notifications'];

/** The value of an unlabelled series in a Prometheus exposition, undefined when absent. */
function sample(exposition: string, name: string): number | undefined {
  const line = exposition.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('messaging backlog of the running app', () => {
  let app: RunningApp;
  let database: pg.Client;

  const metrics = async (): Promise<string> => (await fetch(`${app.baseUrl}/metrics`)).text();

  beforeAll(async () => {
    await ensureDatabaseExists(DATABASE_URL);
    app = await startApp({ DATABASE_URL });
    database = new pg.Client({ connectionString: DATABASE_URL });
    await database.connect();
    await messagingSchemaMigrated();
    // Whatever an earlier, interrupted run of this suite planted.
    await database.query(REMOVE_STUCK_EVENTS);
  }, 60_000);

  afterAll(async () => {
    try {
      await database?.query(REMOVE_STUCK_EVENTS);
      await database?.end();
    } finally {
      await app?.stop();
    }
  });

  /** Readiness only needs a connection; on a fresh database the migrations may still be running. */
  async function messagingSchemaMigrated(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { rows } = await database.query<{ present: boolean }>(
        `SELECT count(to_regclass(schema || '.delivery_retries')) = $2 AS present
           FROM unnest($1::text[]) AS schema`,
        [CONTEXTS, CONTEXTS.length],
      );
      if (rows[0]?.present) return;
      if (Date.now() > deadline) throw new Error('the messaging tables were not migrated in time');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('exposes the outbox backlog, the dead letters and the relay counters on /metrics', async () => {
    const exposition = await metrics();

    expect(sample(exposition, 'outbox_messages_pending')).toEqual(expect.any(Number));
    expect(sample(exposition, 'outbox_oldest_pending_age_seconds')).toEqual(expect.any(Number));
    expect(sample(exposition, 'dead_letter_messages_total')).toEqual(expect.any(Number));
    expect(exposition).toContain('# TYPE outbox_messages_published_total counter');
    expect(exposition).toContain('# TYPE outbox_publish_failures_total counter');
  });

  it('answers /health/backlog with 200 while the relay keeps up', async () => {
    const response = await fetch(`${app.baseUrl}/health/backlog`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(
      expect.objectContaining({
        status: 'ok',
        info: {
          outbox_backlog: expect.objectContaining({ status: 'up', maxAgeSeconds: 300 }) as unknown,
        },
      }),
    );
  });

  it('reports a stuck event on /health/backlog and /metrics while readiness stays 200', async () => {
    // Committed an hour ago and not due for another hour: the relay leaves it where it is.
    await database.query(
      `INSERT INTO orders.outbox (id, type, payload, headers, created_at, next_attempt_at)
       VALUES ($1, '${STUCK_EVENT}', '{}',
               '{"version":1,"occurredAt":"2026-01-01T00:00:00.000Z","correlationId":"e2e"}',
               clock_timestamp() - interval '1 hour', clock_timestamp() + interval '1 hour')`,
      [randomUUID()],
    );

    const backlog = await fetch(`${app.baseUrl}/health/backlog`);
    const ready = await fetch(`${app.baseUrl}/health/ready`);
    const exposition = await metrics();

    expect(backlog.status).toBe(503);
    expect(await backlog.json()).toEqual(
      expect.objectContaining({
        status: 'error',
        error: {
          outbox_backlog: expect.objectContaining({
            status: 'down',
            message: 'the oldest unpublished outbox message is older than 300 s',
          }) as unknown,
        },
      }),
    );
    expect(ready.status).toBe(200);
    expect(sample(exposition, 'outbox_messages_pending')).toBeGreaterThanOrEqual(1);
    expect(sample(exposition, 'outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(3_600);
  });

  it('documents /health/backlog in the OpenAPI document', async () => {
    const response = await fetch(`${app.baseUrl}/docs/openapi.json`);

    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      paths: Record<string, { get?: { responses?: Record<string, unknown> } }>;
    };
    expect(Object.keys(document.paths['/health/backlog']?.get?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '503']),
    );
  });
});
