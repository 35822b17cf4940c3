import type { AddressInfo } from 'node:net';
import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  API_CSP,
  API_HELMET_OPTIONS,
  DOCS_CSP,
  HELMET_OPTIONS,
  registerSecurityHeaders,
} from './security-headers.js';

// Over real sockets: Fastify's inject() needs a module Jest cannot load (light-my-request).
async function listening(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

const baseUrls = new Map<FastifyInstance, Promise<string>>();

/** The answer's headers, but the date (two answers may fall in different seconds). */
async function headersOf(app: FastifyInstance, url: string): Promise<Record<string, string>> {
  const answer = await fetch(`${await baseUrls.get(app)}${url}`);
  await answer.arrayBuffer();
  return Object.fromEntries([...answer.headers].filter(([name]) => name !== 'date'));
}

function withRoutes(app: FastifyInstance): FastifyInstance {
  app.get('/v1/things', () => ({ things: [] }));
  app.get('/v1/broken', () => {
    throw new Error('broken');
  });
  app.get('/v1/own-frame-policy', (_request, reply) =>
    reply.header('x-frame-options', 'DENY').send({ ok: true }),
  );
  app.get('/docs', () => 'docs');
  return app;
}

const API_URLS = ['/v1/things', '/v1/broken', '/v1/nothing-here', '/v1/own-frame-policy'];

/** What every app registered before: helmet, and the CSP set per answer in onSend. */
async function helmetedWith(options: FastifyHelmetOptions): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(fastifyHelmet, options);
  app.addHook('onSend', async (request, reply) => {
    void reply.header('content-security-policy', request.url === '/docs' ? DOCS_CSP : API_CSP);
  });
  withRoutes(app);
  baseUrls.set(app, listening(app));
  return app;
}

describe('security headers set from one precomputed object', () => {
  let apiHelmeted: FastifyInstance;
  let docsHelmeted: FastifyInstance;
  let precomputed: FastifyInstance;
  /** What a bare Fastify answer carries on its own. */
  let bareHeaders: Record<string, string>;

  beforeAll(async () => {
    apiHelmeted = await helmetedWith(API_HELMET_OPTIONS);
    docsHelmeted = await helmetedWith(HELMET_OPTIONS);
    // As securityHeaderSets reads them at start-up: what helmet adds to a bare answer.
    const bare = withRoutes(Fastify());
    baseUrls.set(bare, listening(bare));
    bareHeaders = await headersOf(bare, '/v1/things');
    const added = async (helmeted: FastifyInstance) =>
      Object.fromEntries(
        Object.entries(await headersOf(helmeted, '/v1/things')).filter(
          ([name]) => !(name in bareHeaders),
        ),
      );
    const api = { ...(await added(apiHelmeted)), 'content-security-policy': API_CSP };
    const docs = { ...(await added(docsHelmeted)), 'content-security-policy': DOCS_CSP };
    await bare.close();
    precomputed = Fastify();
    registerSecurityHeaders(precomputed, { api, docs });
    withRoutes(precomputed);
    baseUrls.set(precomputed, listening(precomputed));
  });
  afterAll(async () => {
    await Promise.all([apiHelmeted.close(), docsHelmeted.close(), precomputed.close()]);
  });

  it.each(API_URLS)('answers %s with exactly the headers helmet sent', async (url) => {
    expect(await headersOf(precomputed, url)).toEqual(await headersOf(apiHelmeted, url));
  });

  it('answers the docs page with exactly what helmet sends a document', async () => {
    expect(await headersOf(precomputed, '/docs')).toEqual(await headersOf(docsHelmeted, '/docs'));
  });

  // The set the security suite and the gateway require (ADR 0052); a helmet upgrade that adds a
  // header to API answers fails here, for someone to decide whether JSON needs it.
  it('gives API answers the security headers that act on JSON, and no others', async () => {
    const headers = await headersOf(precomputed, '/v1/things');
    const security = Object.keys(headers).filter((name) => !(name in bareHeaders));
    expect(security.sort()).toEqual([
      'content-security-policy',
      'cross-origin-resource-policy',
      'referrer-policy',
      'strict-transport-security',
      'x-content-type-options',
      'x-frame-options',
    ]);
  });

  it('keeps the document-only headers on the docs page', async () => {
    const headers = await headersOf(precomputed, '/docs');
    expect(headers).toMatchObject({
      'x-dns-prefetch-control': 'off',
      'x-permitted-cross-domain-policies': 'none',
      'cross-origin-opener-policy': 'same-origin',
      'origin-agent-cluster': '?1',
    });
  });

  it('gives the docs the CSP that lets swagger-ui run, and the API the one that forbids all', async () => {
    expect((await headersOf(precomputed, '/docs'))['content-security-policy']).toBe(DOCS_CSP);
    expect((await headersOf(precomputed, '/v1/things'))['content-security-policy']).toBe(API_CSP);
  });

  it('gives every answer, /docs too, the API set where the docs are not served', async () => {
    const withoutDocs = Fastify();
    registerSecurityHeaders(withoutDocs, {
      api: { 'x-frame-options': 'SAMEORIGIN', 'content-security-policy': API_CSP },
    });
    withRoutes(withoutDocs);
    baseUrls.set(withoutDocs, listening(withoutDocs));
    try {
      for (const url of ['/docs', '/v1/things', '/v1/nothing-here']) {
        expect({
          url,
          csp: (await headersOf(withoutDocs, url))['content-security-policy'],
        }).toEqual({ url, csp: API_CSP });
      }
    } finally {
      await withoutDocs.close();
    }
  });

  it('lets a handler set its own value of a security header', async () => {
    expect((await headersOf(precomputed, '/v1/own-frame-policy'))['x-frame-options']).toBe('DENY');
  });
});
