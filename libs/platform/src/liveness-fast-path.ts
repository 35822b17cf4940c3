import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';

const LIVE_BODY = JSON.stringify({ status: 'ok' });
const LIVE_BODY_BYTES = String(Buffer.byteLength(LIVE_BODY));

/** How every answer gets its request id (the observability library's rules). */
export interface RequestIdRule {
  /** The response header that carries it. */
  readonly header: string;
  readonly resolve: (headers: IncomingHttpHeaders) => string;
}

/** What the probe's answer needs from the app, known once Nest has built it. */
export interface LivenessProbeSettings {
  /** Counts the answer as Fastify's onResponse hook counts every other request. */
  readonly record: (durationSeconds: number) => void;
  /** Once true, each answer asks the client to close its connection, as every other answer does. */
  readonly isDraining: () => boolean;
}

/** The Fastify options the server must honour, as Fastify applies them to a server it creates. */
interface ServerOptions {
  readonly keepAliveTimeout?: number;
  readonly requestTimeout?: number;
  readonly connectionTimeout?: number;
  readonly maxRequestsPerSocket?: number;
}

/**
 * `GET /health/live` answered by the HTTP server before Fastify sees the request (ADR 0051): no
 * routing, no hook chain, no promise, so a probe costs what bare node:http costs and is not
 * slowed by the work queued behind Fastify's hooks when the app is saturated. The answer keeps
 * what every other answer has: the request id (same rules, echoed in `x-request-id`), the
 * security headers and a count in the request metric. Any other method or URL (HEAD, a query
 * string) goes to Fastify's route, which answers the same. Until `enable()` (the app is built),
 * every request goes to Fastify.
 */
export class LivenessFastPath {
  private settings?: LivenessProbeSettings;

  constructor(
    private readonly path: string,
    private readonly securityHeaders: Readonly<Record<string, string>>,
    private readonly requestId: RequestIdRule,
  ) {}

  /** For Fastify's `serverFactory` option: the server Fastify would create, probe answered first. */
  readonly serverFactory = (fastifyHandler: RequestListener, options: ServerOptions): Server => {
    const server = createServer((request, response) => {
      if (!this.answer(request, response)) fastifyHandler(request, response);
    });
    // What Fastify sets on a server of its own (fastify/lib/server.js), so nothing changes for
    // the other requests.
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
    if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
    if (options.maxRequestsPerSocket !== undefined && options.maxRequestsPerSocket > 0) {
      server.maxRequestsPerSocket = options.maxRequestsPerSocket;
    }
    return server;
  };

  enable(settings: LivenessProbeSettings): void {
    this.settings = settings;
  }

  private answer(request: IncomingMessage, response: ServerResponse): boolean {
    const settings = this.settings;
    if (settings === undefined || request.method !== 'GET' || request.url !== this.path) {
      return false;
    }
    const startedAt = performance.now();
    response.writeHead(200, {
      ...this.securityHeaders,
      'content-type': 'application/json; charset=utf-8',
      'content-length': LIVE_BODY_BYTES,
      [this.requestId.header]: this.requestId.resolve(request.headers),
      ...(settings.isDraining() ? { connection: 'close' } : {}),
    });
    response.end(LIVE_BODY);
    settings.record((performance.now() - startedAt) / 1000);
    return true;
  }
}
