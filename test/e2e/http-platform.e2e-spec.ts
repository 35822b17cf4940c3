import { type RunningApp, startApp } from '../support/app-process.js';
import { uniqueEmail } from '../support/test-environment.js';

const PROBLEM_JSON = 'application/problem+json';
const ALLOWED_ORIGIN = 'https://shop.example';

describe('HTTP edge of the monolith', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({ HTTP_BODY_LIMIT_BYTES: '2048', HTTP_CORS_ORIGINS: ALLOWED_ORIGIN });
  });
  afterAll(async () => {
    await app?.stop();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${app.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('rejects unknown body fields with a 400 problem that lists them', async () => {
    const response = await post('/v1/users', {
      email: uniqueEmail(),
      password: 'correct horse battery staple',
      isAdmin: true,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain(PROBLEM_JSON);
    const problem = (await response.json()) as { code: string; errors: { field: string }[] };
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors.map((violation) => violation.field)).toContain('isAdmin');
  });

  it('rejects a body over the configured limit with 413', async () => {
    const response = await post('/v1/users', { email: uniqueEmail(), password: 'x'.repeat(4096) });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain(PROBLEM_JSON);
    expect(((await response.json()) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers malformed JSON with a 400 problem, not a 500', async () => {
    const response = await post('/v1/users', '{"email": ');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain(PROBLEM_JSON);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await fetch(`${app.baseUrl}/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain(PROBLEM_JSON);
    const problem = (await response.json()) as { instance: string; requestId: string };
    expect(problem.instance).toBe('/v1/nothing-here');
    expect(problem.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('sends security headers on every response', async () => {
    const response = await fetch(`${app.baseUrl}/health/live`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('x-powered-by')).toBeNull();
    // Headers that act only on a document a browser renders are left off JSON (ADR 0052).
    expect(response.headers.get('x-dns-prefetch-control')).toBeNull();
    expect(response.headers.get('x-xss-protection')).toBeNull();
  });

  it('allows CORS only for origins on the allow-list', async () => {
    const preflight = (origin: string) =>
      fetch(`${app.baseUrl}/v1/users/me`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
    const allowed = await preflight(ALLOWED_ORIGIN);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    const refused = await preflight('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves the OpenAPI document with auth schemes and error responses for every operation', async () => {
    const response = await fetch(`${app.baseUrl}/docs/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
      paths: Record<
        string,
        Record<string, { responses: Record<string, unknown>; security?: unknown[] }>
      >;
    };
    // One scheme, used by every protected operation: a declared but unused one misleads clients.
    expect(Object.keys(document.components.securitySchemes)).toEqual(['bearer']);
    expect(document.components.schemas).toHaveProperty('ProblemDocument');
    for (const path of ['/v1/users', '/v1/auth/token', '/v1/users/me', '/health/ready']) {
      expect(document.paths).toHaveProperty([path]);
    }
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const statuses = Object.keys(operation.responses);
        expect({ path, method, ok: statuses.some((status) => /^2/.test(status)) }).toEqual({
          path,
          method,
          ok: true,
        });
        expect(statuses).toContain('500');
      }
    }
    expect(document.paths['/v1/users/me'].get.security?.length).toBeGreaterThan(0);
    expect(Object.keys(document.paths['/v1/users/me'].get.responses)).toContain('401');
  });

  it('serves the documentation UI with a CSP that lets it run', async () => {
    const response = await fetch(`${app.baseUrl}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toContain(
      "script-src 'self' 'unsafe-inline'",
    );
    // A document: it keeps helmet's headers for documents too.
    expect(response.headers.get('x-dns-prefetch-control')).toBe('off');
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });
});
