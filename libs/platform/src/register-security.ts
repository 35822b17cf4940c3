import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { HttpConfig } from '#lib/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { API_CSP, DOCS_CSP, HELMET_OPTIONS } from './security-headers.js';

/** Security headers (helmet) and CORS from the configured allow-list. */
export async function registerSecurity(
  app: NestFastifyApplication,
  http: HttpConfig,
): Promise<void> {
  await app.register(fastifyHelmet, HELMET_OPTIONS);
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
