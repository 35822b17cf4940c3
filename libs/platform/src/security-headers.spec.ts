import type { AddressInfo } from 'node:net';
import fastifyHelmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  API_CSP,
  DOCS_CSP,
  HELMET_OPTIONS,
  registerSecurityHeaders,
  securityHeaderSets,
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

describe('security headers set from one precomputed object', () => {
  let helmeted: FastifyInstance;
  let precomputed: FastifyInstance;

  beforeAll(async () => {
    // What every app registered before: helmet, and the CSP set per answer in onSend.
    helmeted = Fastify();
    await helmeted.register(fastifyHelmet, HELMET_OPTIONS);
    helmeted.addHook('onSend', async (request, reply) => {
      void reply.header('content-security-policy', request.url === '/docs' ? DOCS_CSP : API_CSP);
    });
    withRoutes(helmeted);
    baseUrls.set(helmeted, listening(helmeted));
    // As apiSecurityHeaders reads them at start-up: what helmet adds to a bare answer.
    const bare = withRoutes(Fastify());
    baseUrls.set(bare, listening(bare));
    const bareHeaders = await headersOf(bare, '/v1/things');
    const helmetHeaders = Object.entries(await headersOf(helmeted, '/v1/things')).filter(
      ([name]) => !(name in bareHeaders),
    );
    await bare.close();
    precomputed = Fastify();
    registerSecurityHeaders(precomputed, securityHeaderSets(Object.fromEntries(helmetHeaders)));
    withRoutes(precomputed);
    baseUrls.set(precomputed, listening(precomputed));
  });
  afterAll(async () => {
    await Promise.all([helmeted.close(), precomputed.close()]);
  });

  it.each(['/v1/things', '/v1/broken', '/v1/nothing-here', '/docs', '/v1/own-frame-policy'])(
    'answers %s with exactly the headers helmet sent',
    async (url) => {
      expect(await headersOf(precomputed, url)).toEqual(await headersOf(helmeted, url));
    },
  );

  it('gives the docs the CSP that lets swagger-ui run, and the API the one that forbids all', async () => {
    expect((await headersOf(precomputed, '/docs'))['content-security-policy']).toBe(DOCS_CSP);
    expect((await headersOf(precomputed, '/v1/things'))['content-security-policy']).toBe(API_CSP);
  });

  it('lets a handler set its own value of a security header', async () => {
    expect((await headersOf(precomputed, '/v1/own-frame-policy'))['x-frame-options']).toBe('DENY');
  });
});
