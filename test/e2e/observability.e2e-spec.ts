import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type RunningApp, startApp } from '../support/app-process.js';
import { uniqueEmail } from '../support/test-environment.js';

type LogLine = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function jsonLines(app: RunningApp): LogLine[] {
  return app
    .logs()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
}

const sleep = (ms: number) => new Promise((wait) => setTimeout(wait, ms));

/** Every log line of one request, once its request line (written after the response) is out. */
async function linesOfRequest(app: RunningApp, requestId: string): Promise<LogLine[]> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const lines = jsonLines(app).filter((line) => line.requestId === requestId);
    if (lines.some((line) => line.msg === 'request completed')) {
      // Long enough for a second, duplicate request line to show up if there were one.
      await sleep(200);
      return jsonLines(app).filter((line) => line.requestId === requestId);
    }
    await sleep(25);
  }
  throw new Error(`no request line for ${requestId}; logs:\n${app.logs()}`);
}

describe('observability of the running app', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp();
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
  });

  it('echoes the x-request-id the caller sent', async () => {
    const response = await fetch(`${app.baseUrl}/health/live`, {
      headers: { 'x-request-id': 'e2e-echo-1' },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('e2e-echo-1');
  });

  it('uses the trace id of an incoming traceparent as the request id', async () => {
    const traceId = randomUUID().replace(/-/g, '');

    const response = await fetch(`${app.baseUrl}/health/live`, {
      headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    });

    expect(response.headers.get('x-request-id')).toBe(traceId);
  });

  it('generates a UUID request id when the caller sent none, and echoes it', async () => {
    const response = await fetch(`${app.baseUrl}/health/live`);

    expect(response.headers.get('x-request-id')).toMatch(UUID);
  });

  it('writes exactly one JSON line per request, with method, route, status, duration and request id', async () => {
    await fetch(`${app.baseUrl}/.well-known/jwks.json`, {
      headers: { 'x-request-id': 'e2e-log-1' },
    });

    const lines = await linesOfRequest(app, 'e2e-log-1');

    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'request completed',
        requestId: 'e2e-log-1',
        method: 'GET',
        route: '/.well-known/jwks.json',
        statusCode: 200,
        durationMs: expect.any(Number),
      }),
    ]);
  });

  it('writes no line for a probe that succeeds (they are counted in the metrics instead)', async () => {
    for (const probe of ['/health/live', '/health/ready']) {
      const response = await fetch(`${app.baseUrl}${probe}`, {
        headers: { 'x-request-id': `e2e-probe-${probe.slice(8)}` },
      });
      expect(response.status).toBe(200);
    }
    // Lines are written in order: once a later request's line is out, a probe's would be too.
    await fetch(`${app.baseUrl}/.well-known/jwks.json`, {
      headers: { 'x-request-id': 'e2e-after-probes' },
    });
    await linesOfRequest(app, 'e2e-after-probes');

    const probeLines = jsonLines(app).filter((line) =>
      String(line.requestId).startsWith('e2e-probe-'),
    );
    expect(probeLines).toEqual([]);
  });

  it('binds the request id to a line the app writes while handling the request', async () => {
    const email = uniqueEmail('log-context');
    const password = `Context-${randomUUID()}`;
    const json = { 'content-type': 'application/json' };
    await fetch(`${app.baseUrl}/v1/users`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email, password }),
    });
    const token = async (form: Record<string, string>, requestId: string) =>
      (await (
        await fetch(`${app.baseUrl}/v1/auth/token`, {
          method: 'POST',
          headers: { 'x-request-id': requestId },
          body: new URLSearchParams(form),
        })
      ).json()) as { refresh_token?: string };
    const { refresh_token: refreshToken } = await token(
      { grant_type: 'password', username: email, password },
      'e2e-context-login',
    );
    const refresh = { grant_type: 'refresh_token', refresh_token: String(refreshToken) };
    await token(refresh, 'e2e-context-rotate');
    // Presenting the rotated token again is a replay: the service logs a warning.
    await token(refresh, 'e2e-context-replay');

    expect(await linesOfRequest(app, 'e2e-context-replay')).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'refresh token replayed; its family is revoked',
      }),
    );
  });

  it('logs a rejected request under its route template, never its raw URL parameters', async () => {
    const response = await fetch(`${app.baseUrl}/v1/users/me`, {
      headers: { 'x-request-id': 'e2e-log-401' },
    });

    expect(response.status).toBe(401);
    expect(await linesOfRequest(app, 'e2e-log-401')).toContainEqual(
      expect.objectContaining({ route: '/v1/users/me', statusCode: 401 }),
    );
  });

  it('never writes an authorization header or a password from a body into the logs', async () => {
    const password = `e2e-password-${randomUUID()}`;
    const token = `e2e-token-${randomUUID()}`;

    const response = await fetch(`${app.baseUrl}/v1/users`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-request-id': 'e2e-secrets-1',
      },
      body: JSON.stringify({ email: uniqueEmail('observability'), password }),
    });

    expect(response.status).toBeLessThan(500);
    expect(await linesOfRequest(app, 'e2e-secrets-1')).toContainEqual(
      expect.objectContaining({ msg: 'request completed', route: '/v1/users' }),
    );
    expect(app.logs()).not.toContain(password);
    expect(app.logs()).not.toContain(token);
  });

  it('exposes request durations per route template and process metrics at unversioned /metrics', async () => {
    await fetch(`${app.baseUrl}/health/live`);
    await fetch(`${app.baseUrl}/no/such/route/${randomUUID()}`);

    const response = await fetch(`${app.baseUrl}/metrics`);
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(
      /^http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/health\/live",status_code="200"\} \d+$/m,
    );
    expect(text).toContain(
      'http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"}',
    );
    expect(text).not.toContain('/no/such/route');
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect((await fetch(`${app.baseUrl}/v1/metrics`)).status).toBe(404);
  });
});

describe('metrics of rejected requests', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({ THROTTLE_LIMIT: '2', HTTP_BODY_LIMIT_BYTES: '1024' });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
  });

  it('serves /metrics to the scraper beyond the rate limit, without a token', async () => {
    const statuses: number[] = [];
    for (let scrape = 0; scrape < 5; scrape += 1) {
      statuses.push((await fetch(`${app.baseUrl}/metrics`)).status);
    }

    expect(statuses).toEqual([200, 200, 200, 200, 200]);
  });

  it('records 401, 413 and 429 responses under their route templates', async () => {
    await fetch(`${app.baseUrl}/v1/users/me`);
    await fetch(`${app.baseUrl}/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(4096) }),
    });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const response = await fetch(`${app.baseUrl}/v1/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      statuses.push(response.status);
    }

    const text = await (await fetch(`${app.baseUrl}/metrics`)).text();

    expect(statuses).toContain(429);
    for (const series of [
      'method="GET",route="/v1/users/me",status_code="401"',
      'method="POST",route="/v1/users",status_code="413"',
      'method="POST",route="/v1/users",status_code="429"',
    ]) {
      expect(text).toContain(`http_request_duration_seconds_count{${series}} `);
    }
  });
});

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
}
interface OtlpExport {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[];
  }[];
}
interface ReceivedExport {
  method: string;
  url: string;
  contentType: string;
  body: Buffer;
}

describe('tracing', () => {
  let receiver: Server;
  const received: ReceivedExport[] = [];

  beforeAll(async () => {
    // A stand-in OpenTelemetry collector: accepts OTLP/HTTP exports and keeps them.
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          method: request.method ?? '',
          url: request.url ?? '',
          contentType: request.headers['content-type'] ?? '',
          body: Buffer.concat(chunks),
        });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
  });

  afterAll(() => {
    receiver.close();
  });

  it('exports the spans of a request to the OTLP endpoint, continuing the caller trace, on shutdown', async () => {
    const address = receiver.address();
    if (address === null || typeof address === 'string') throw new Error('receiver not listening');
    const serviceName = `test-otel-${randomUUID().slice(0, 8)}`;
    const app = await startApp({
      SERVICE_NAME: serviceName,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${address.port}`,
    });
    const traceId = randomUUID().replace(/-/g, '');

    const response = await fetch(`${app.baseUrl}/v1/users`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        traceparent: `00-${traceId}-b7ad6b7169203331-01`,
      },
      body: JSON.stringify({ email: uniqueEmail('traced'), password: `Traced-${randomUUID()}` }),
    });
    expect(response.headers.get('x-request-id')).toBe(traceId);
    const exitCode = await app.stop('SIGTERM');

    expect(exitCode).toBe(0);
    const exports = received.filter((item) => item.method === 'POST' && item.url === '/v1/traces');
    expect(exports.length).toBeGreaterThan(0);
    expect(exports.every((item) => item.body.length > 0)).toBe(true);
    expect(exports[0]?.contentType).toContain('application/json');
    const batches = exports.map((item) => JSON.parse(item.body.toString()) as OtlpExport);
    const resources = batches.flatMap((batch) => batch.resourceSpans);
    expect(resources[0]?.resource.attributes).toContainEqual({
      key: 'service.name',
      value: { stringValue: serviceName },
    });
    const spansOfTrace = resources
      .flatMap((resource) => resource.scopeSpans)
      .flatMap(({ scope, spans }) => spans.map((span) => ({ scope: scope.name, ...span })))
      .filter((span) => span.traceId === traceId);
    // The server span continues the caller's trace; driver spans hang below it.
    expect(spansOfTrace).toContainEqual(
      expect.objectContaining({
        scope: '@opentelemetry/instrumentation-http',
        name: 'POST /v1/users',
        parentSpanId: 'b7ad6b7169203331',
      }),
    );
    const scopes = new Set(spansOfTrace.map((span) => span.scope));
    expect(scopes).toContain('@opentelemetry/instrumentation-pg');
    expect(scopes).toContain('@opentelemetry/instrumentation-ioredis');
  }, 60_000);
});
