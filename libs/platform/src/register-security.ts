import fastifyCors from '@fastify/cors';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { HttpConfig } from '#lib/config';
import { registerSecurityHeaders, type SecurityHeaderSets } from './security-headers.js';

/** Security headers (helmet's, precomputed) and CORS from the configured allow-list. */
export async function registerSecurity(
  app: NestFastifyApplication,
  http: HttpConfig,
  securityHeaders: SecurityHeaderSets,
): Promise<void> {
  registerSecurityHeaders(app.getHttpAdapter().getInstance(), securityHeaders);

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
