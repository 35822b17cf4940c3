import { connect, type Socket } from 'node:net';
import {
  freePort,
  MONOLITH_ENTRY,
  runAppToExit,
  type RunningApp,
  startApp,
} from '../support/app-process.js';
import { uniqueEmail } from '../support/test-environment.js';

/** A keep-alive connection as a proxy's pool holds one: used once, then left idle. */
interface PooledConnection {
  /** Sends one request and resolves with the raw answer, once its body has arrived. */
  send(request: string): Promise<string>;
  /** Resolves when the connection closes, from either side. */
  readonly closed: Promise<void>;
  readonly socket: Socket;
}

async function pooledConnection(port: number): Promise<PooledConnection> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  let raw = '';
  let waiting: { until: (text: string) => boolean; done: (text: string) => void } | undefined;
  socket.on('data', (chunk: Buffer) => {
    raw += chunk.toString();
    if (waiting?.until(raw)) {
      waiting.done(raw);
      waiting = undefined;
      raw = '';
    }
  });
  socket.on('error', () => undefined);
  const send = (request: string): Promise<string> =>
    new Promise((done, reject) => {
      // Complete once the headers and the Content-Length they announce have arrived.
      const until = (text: string): boolean => {
        const end = text.indexOf('\r\n\r\n');
        const length = /content-length: (\d+)/i.exec(text)?.[1];
        return end >= 0 && length !== undefined && text.length >= end + 4 + Number(length);
      };
      waiting = { until, done };
      void closed.then(() => reject(new Error(`the connection closed; received: ${raw}`)));
      socket.write(request);
    });
  await send('GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  return { send, closed, socket };
}

/** Sends SIGTERM; resolves once a new connection is refused: the app no longer listens. */
async function sigtermUntilRefused(app: RunningApp): Promise<void> {
  app.child.kill('SIGTERM');
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const probe = connect(app.port, '127.0.0.1');
      probe.once('connect', () => {
        probe.destroy();
        resolve(false);
      });
      probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
    });
    if (refused) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('process lifecycle', () => {
  it('refuses to start with a malformed DATABASE_URL and names it', async () => {
    const { code, output } = await runAppToExit({ DATABASE_URL: 'mysql://root@127.0.0.1/shop' });
    expect(code).toBe(1);
    expect(output).toContain('Refusing to start');
    expect(output).toContain('DATABASE_URL');
  });

  it('refuses to start with a non-numeric HTTP_PORT and names it', async () => {
    const { code, output } = await runAppToExit({ HTTP_PORT: 'http' });
    expect(code).toBe(1);
    expect(output).toContain('HTTP_PORT');
  });

  describe('each app validates only the settings of the contexts it runs', () => {
    const badCatalogSetting = { CATALOG_CACHE_TTL_SECONDS: 'abc' };
    const entryOf = (app: string): string =>
      MONOLITH_ENTRY.replace('/apps/monolith/', `/apps/${app}/`);

    it('the identity app starts and becomes ready with an invalid catalog setting', async () => {
      const identity = await startApp(badCatalogSetting, { entry: entryOf('identity') });
      try {
        const token = await fetch(`${identity.baseUrl}/.well-known/jwks.json`);
        expect(token.status).toBe(200);
        expect(identity.logs()).not.toContain('CATALOG_CACHE_TTL_SECONDS');
      } finally {
        expect(await identity.stop()).toBe(0);
      }
    });

    it.each([['catalog'], ['monolith']])(
      'the %s app refuses to start and names the catalog setting',
      async (app) => {
        const { code, output } = await runAppToExit(badCatalogSetting, 30_000, entryOf(app));
        expect(code).toBe(1);
        expect(output).toContain('Refusing to start');
        expect(output).toContain('CATALOG_CACHE_TTL_SECONDS must be an integer number (got "abc")');
      },
    );

    it('names every bad variable of the platform and of the app’s contexts at once', async () => {
      const { code, output } = await runAppToExit(
        { ...badCatalogSetting, ORDERS_IDEMPOTENCY_WAIT_MS: 'soon', LOG_LEVEL: 'loud' },
        30_000,
      );
      expect(code).toBe(1);
      for (const variable of [
        'CATALOG_CACHE_TTL_SECONDS',
        'ORDERS_IDEMPOTENCY_WAIT_MS',
        'LOG_LEVEL',
      ]) {
        expect(output).toContain(variable);
      }
    });
  });

  it('creates the first administrator from configuration with npm run admin:create', async () => {
    const admin = { ADMIN_EMAIL: uniqueEmail('root'), ADMIN_PASSWORD: 'a-long-admin-secret-42' };
    const script = MONOLITH_ENTRY.replace(/main\.js$/, 'create-admin.js');
    const created = await runAppToExit(admin, 30_000, script);
    expect(created.code).toBe(0);
    expect(created.output).toContain(`${admin.ADMIN_EMAIL}: `);

    const app = await startApp();
    try {
      const token = await fetch(`${app.baseUrl}/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'password',
          username: admin.ADMIN_EMAIL,
          password: admin.ADMIN_PASSWORD,
        }),
      });
      expect(token.status).toBe(200);
      const { access_token } = (await token.json()) as { access_token: string };
      const users = await fetch(`${app.baseUrl}/v1/users`, {
        headers: { authorization: `Bearer ${access_token}` },
      });
      expect(users.status).toBe(200);
    } finally {
      await app.stop();
    }
  });

  it('refuses to create an administrator when ADMIN_EMAIL is not set', async () => {
    const script = MONOLITH_ENTRY.replace(/main\.js$/, 'create-admin.js');
    const { code, output } = await runAppToExit({}, 15_000, script);
    expect(code).toBe(1);
    expect(output).toContain('ADMIN_EMAIL');
  });

  it('is live but not ready, naming postgres, while the database is unreachable', async () => {
    const closedPort = await freePort();
    const app = await startApp(
      { DATABASE_URL: `postgres://postgres@127.0.0.1:${closedPort}/commerce_test` },
      { waitFor: 'live' },
    );
    try {
      const ready = await fetch(`${app.baseUrl}/health/ready`);
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as {
        status: string;
        error: Record<string, { status: string }>;
        info: Record<string, { status: string }>;
      };
      expect(body.status).toBe('error');
      expect(body.error.postgres.status).toBe('down');
      expect(body.info.redis.status).toBe('up');
      expect((await fetch(`${app.baseUrl}/health/live`)).status).toBe(200);

      const register = await fetch(`${app.baseUrl}/v1/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: uniqueEmail(), password: 'correct horse battery staple' }),
      });
      expect(register.status).toBe(503);
      expect(register.headers.get('retry-after')).toBe('5');
      expect(register.headers.get('content-type')).toContain('application/problem+json');
    } finally {
      await app.stop();
    }
  });

  it('on SIGTERM turns unready at once, lets a slow request finish, then exits 0', async () => {
    const app = await startApp({ SHUTDOWN_READINESS_DELAY_MS: '1500' });
    const body = JSON.stringify({
      email: uniqueEmail('slow'),
      password: 'correct horse battery staple',
    });
    const half = Math.floor(body.length / 2);

    // A slow client: headers and half the body now, the rest after the signal.
    const socket = connect(app.port, '127.0.0.1');
    let raw = '';
    socket.on('data', (chunk) => (raw += chunk.toString()));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(
      `POST /v1/users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    app.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ready = await fetch(`${app.baseUrl}/health/ready`);
    expect(ready.status).toBe(503);

    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(app.child.exitCode).toBeNull(); // still draining the slow request
    // write, not end: a client that half-closes its socket aborts its own request in Node.
    socket.write(body.slice(half));
    await closed; // the server closes the keep-alive connection because it is draining

    expect(raw).toMatch(/^HTTP\/1\.1 201 /);
    expect(raw.toLowerCase()).toContain('connection: close');
    expect(await app.exited).toBe(0);
    expect(app.logs()).toContain('shutdown complete');
  });

  it('on SIGTERM stops listening but answers on a kept-alive connection, and closes idle ones after the wait', async () => {
    const app = await startApp({
      SHUTDOWN_GRACE_MS: '30000',
      SHUTDOWN_IDLE_CONNECTION_WAIT_MS: '6000',
    });
    // Two pooled connections, as a proxy in front keeps them between requests.
    const used = await pooledConnection(app.port);
    const idle = await pooledConnection(app.port);

    await sigtermUntilRefused(app);
    // A proxy sends a request on a pooled connection just as the app stops listening: it must
    // get its answer, not a reset it cannot tell from a request lost on the way.
    const body = JSON.stringify({
      email: uniqueEmail('draining'),
      password: 'correct horse battery staple',
    });
    const answer = await used.send(
      `POST /v1/users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    expect(answer.toLowerCase()).toContain('connection: close');
    await used.closed;

    // The other one stays idle: the app closes it once the wait is over, then exits.
    await idle.closed;
    expect(await app.exited).toBe(0);
    expect(app.logs()).toContain('shutdown complete');
  });

  it('on SIGTERM ends the wait for idle connections as soon as their clients close them', async () => {
    const app = await startApp({
      SHUTDOWN_GRACE_MS: '120000',
      SHUTDOWN_IDLE_CONNECTION_WAIT_MS: '59000',
    });
    const pooled = await pooledConnection(app.port);
    const signalledAt = Date.now();
    await sigtermUntilRefused(app);
    pooled.socket.end();

    expect(await app.exited).toBe(0);
    // Far below the 59 s wait on any machine: the app did not sit out the wait.
    expect(Date.now() - signalledAt).toBeLessThan(30_000);
  }, 90_000);
});
