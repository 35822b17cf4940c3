import { trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { type HttpMetrics, UNMATCHED_ROUTE } from './http-metrics.js';
import { runInRequestLogContext } from './log-context.js';
import { REQUEST_ID_HEADER, REQUEST_ID_LOG_KEY } from './request-id.js';

/** The liveness probe's route: answered by Fastify alone (ADR 0046), in no log context. */
export const LIVENESS_ROUTE = '/health/live';

/** Kubernetes probes: polled every few seconds, so a line per success would drown the others. */
const PROBE_ROUTES: ReadonlySet<string> = new Set([LIVENESS_ROUTE, '/health/ready']);

/**
 * Fastify hooks rather than a Nest interceptor: they see every response, including those a guard
 * (401, 403, 429), the router (404) or the body parser (400, 413) produced before any handler ran.
 */
export function registerHttpObservabilityHooks(
  fastify: FastifyInstance,
  metrics: HttpMetrics,
  logger: Logger,
): void {
  // The request line's fields are fixed and hold no secret (a route template, never a query
  // string; the redaction walk looks at keys, and none of these is one): it skips that walk.
  const requestLog = logger.child({}, { formatters: { log: (line) => line } });
  // Set first thing, so even a rejected request tells its caller which log lines are its own.
  // The rest of the request runs in its log context (what nestjs-pino's middleware did through
  // middie's Express bridge, with two child loggers per request where none is needed).
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    // Read once: Fastify builds a new routeOptions object on every access.
    const route = request.routeOptions.url;
    nameServerSpan(request, route);
    // Liveness writes no line while it runs (its failure line names the id itself).
    if (route === LIVENESS_ROUTE) done();
    else runInRequestLogContext(request.id, done);
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    const durationMs = reply.elapsedTime;
    const statusCode = reply.statusCode;
    metrics.record({
      method: request.method,
      route,
      statusCode,
      durationSeconds: durationMs / 1000,
    });
    // Probes are counted in the metrics; only a failing one gets a log line.
    if (statusCode < 400 && route !== undefined && PROBE_ROUTES.has(route)) {
      done();
      return;
    }
    requestLog[statusCode >= 500 ? 'error' : 'info'](
      {
        [REQUEST_ID_LOG_KEY]: request.id,
        method: request.method,
        route: route ?? UNMATCHED_ROUTE,
        // A matched request is described by its template: path parameters and query strings may
        // be tokens or personal data. An unmatched one shows what was probed, minus the query.
        ...(route === undefined ? { path: request.url.split('?', 1)[0] } : {}),
        statusCode,
        durationMs: Math.round(durationMs * 1000) / 1000,
      },
      'request completed',
    );
    done();
  });
}

/**
 * The HTTP instrumentation only knows the method; the router knows the template. Naming the span
 * `GET /v1/users/:id` (OpenTelemetry's convention) groups traces by route. No-op without tracing.
 */
function nameServerSpan(request: FastifyRequest, route: string | undefined): void {
  const span = trace.getActiveSpan();
  if (span === undefined || route === undefined) return;
  span.updateName(`${request.method} ${route}`);
  span.setAttribute('http.route', route);
}
