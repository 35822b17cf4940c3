import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { HttpConfig } from '#lib/config';
import type { FastifyReply, FastifyRequest } from 'fastify';

// An API answers JSON only, so it may forbid everything; swagger-ui at /docs needs its inline code.
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const DOCS_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'";

/** Security headers (helmet) and CORS from the configured allow-list. */
export async function registerSecurity(
  app: NestFastifyApplication,
  http: HttpConfig,
): Promise<void> {
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-site' },
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
  });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (request: FastifyRequest, reply: FastifyReply) => {
      const isDocs = request.url === '/docs' || request.url.startsWith('/docs/');
      void reply.header('content-security-policy', isDocs ? DOCS_CSP : API_CSP);
    });

  const allowList = new Set(http.corsOrigins);
  await app.register(fastifyCors, {
    // Origins not on the list get no CORS headers at all, so browsers block them.
    origin: (origin, callback) => callback(null, origin !== undefined && allowList.has(origin)),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [
      'authorization',
      'content-type',
      'idempotency-key',
      'if-match',
      'x-request-id',
      'traceparent',
    ],
    exposedHeaders: ['x-request-id', 'etag', 'retry-after', 'location'],
    maxAge: 600,
  });
}
