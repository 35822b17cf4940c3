import { hostname } from 'node:os';
import { trace } from '@opentelemetry/api';
import type { LogConfig, ServiceConfig, TracingConfig } from '#lib/config';
import type { Params } from 'nestjs-pino';
import { destination, type DestinationStream, type LoggerOptions } from 'pino';
import type { Options as HttpLoggerOptions } from 'pino-http';
import { requestLogFields } from './log-context.js';
import { REQUEST_ID_LOG_KEY, resolveRequestId } from './request-id.js';
import { REDACTED, redactSecrets } from './redaction.js';

// pino's serializers turn these into plain objects after our formatter has run; `redact` covers
// the credentials in their output. Child-logger bindings bypass both (pino formats them once, on
// creation, without formatters): bind identifiers there, never objects.
const SERIALIZED_KEYS: ReadonlySet<string> = new Set(['req', 'res', 'err']);
const SERIALIZED_SECRET_PATHS = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

// Ties a log line to its span when tracing is on, so one can jump from a log to its trace.
function requestAndTraceFields(): Record<string, string> {
  const fields = requestLogFields();
  const span = trace.getActiveSpan();
  if (span === undefined) return fields;
  const { traceId, spanId } = span.spanContext();
  return { ...fields, traceId, spanId };
}

let timeOfLastLine = -1;
let timeFieldOfLastLine = '';

/**
 * pino's `isoTime`, formatted once per millisecond instead of once per line: a busy process writes
 * several lines a millisecond, and `toISOString` was a tenth of a request line's formatting.
 */
export function isoTimeOncePerMs(): string {
  const now = Date.now();
  if (now !== timeOfLastLine) {
    timeOfLastLine = now;
    timeFieldOfLastLine = `,"time":"${new Date(now).toISOString()}"`;
  }
  return timeFieldOfLastLine;
}

/** The configuration sections logging reads. */
export interface LoggerSettings {
  readonly service: ServiceConfig;
  readonly log: LogConfig;
  readonly tracing: TracingConfig;
}

/** The pino configuration of every process: JSON on stdout, one shape for all services. */
export function pinoOptions({ service, log, tracing }: LoggerSettings): LoggerOptions {
  return {
    level: log.level,
    base: { service: service.name, pid: process.pid, hostname: hostname() },
    timestamp: isoTimeOncePerMs,
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redactSecrets(object, SERIALIZED_KEYS),
    },
    redact: { paths: SERIALIZED_SECRET_PATHS, censor: REDACTED },
    mixin: tracing.otlpEndpoint === undefined ? requestLogFields : requestAndTraceFields,
    ...(log.pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
  };
}

/** In production, lines are written in chunks of at least this many bytes (ADR 0046)... */
export const LOG_WRITE_MIN_BYTES = 4096;
/** ...or at the latest this long after they were logged, however quiet the process. */
export const LOG_FLUSH_INTERVAL_MS = 250;

/**
 * Where the logs go: stdout either way; in production written asynchronously (ADR 0039), so a
 * request never waits for the pipe, and in chunks rather than a write per line (ADR 0046). pino
 * flushes what is buffered when the process exits; a process killed outright loses at most the
 * last LOG_FLUSH_INTERVAL_MS of lines.
 */
export function logDestination(
  { service, log }: LoggerSettings,
  fd = 1,
): DestinationStream | undefined {
  if (service.env !== 'production' || log.pretty) return undefined;
  const output = destination({ dest: fd, sync: false, minLength: LOG_WRITE_MIN_BYTES });
  const flusher = setInterval(() => {
    try {
      output.flush();
    } catch {
      // Destroyed, its close event not yet emitted: nothing is left to write.
    }
  }, LOG_FLUSH_INTERVAL_MS).unref();
  output.once('close', () => clearInterval(flusher));
  return output;
}

/**
 * nestjs-pino's parameters, without its HTTP middleware: a Fastify `onRequest` hook runs each
 * request in a log context whose id the mixin adds to every line (log-context.ts), and the one line per
 * request comes from the `onResponse` hook (see http-observability.hooks.ts), which alone knows
 * the route template and sees every response, including those a guard or Fastify itself rejected.
 */
export function loggerModuleParams(settings: LoggerSettings, output?: DestinationStream): Params {
  const options: HttpLoggerOptions = {
    ...pinoOptions(settings),
    autoLogging: false,
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: REQUEST_ID_LOG_KEY },
    genReqId: (request) => request.id ?? resolveRequestId(request.headers),
  };
  return {
    pinoHttp: output === undefined ? options : [options, output],
    // No Nest middleware (and so no Express bridge per request): see attachObservability.
    forRoutes: [],
  };
}
