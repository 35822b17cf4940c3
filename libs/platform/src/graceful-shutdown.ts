import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ShutdownConfig } from '#lib/config';
import { ReadinessState } from '#lib/health';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Refuses new connections and leaves the open ones alone. `http.Server#close()` also closes the
 * idle keep-alive connections (Node 19+), and a proxy may be sending a request on one of them at
 * that moment: it then sees the connection reset without an answer, and must not replay a POST.
 * A refused connection, by contrast, is one the proxy knows it can send elsewhere.
 */
function stopListening(server: Server): void {
  NetServer.prototype.close.call(server);
}

/**
 * SIGTERM/SIGINT: readiness turns 503 at once, we wait `readinessDelayMs` for load balancers to
 * notice, then the server stops accepting, in-flight requests finish, each answer closes its
 * connection, idle connections are left `idleConnectionWaitMs` for their clients to close, and
 * `app.close()` closes the rest.
 * If that takes longer than the grace period the process exits non-zero rather than hang.
 */
export function installGracefulShutdown(
  app: NestFastifyApplication,
  settings: ShutdownConfig,
  logger: LoggerService,
  onClosed: () => Promise<void> = async () => undefined,
): void {
  const readiness = app.get(ReadinessState);
  const fastify = app.getHttpAdapter().getInstance();
  // Callback hooks rather than async ones: an async hook costs a promise per request (issue 7).
  // Keep-alive connections would hold the server open until their idle timeout: once draining,
  // every response asks the client to close, so each connection ends with its last request.
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (readiness.isShuttingDown) void reply.header('connection', 'close');
    done(null, payload);
  });
  let requestsInFlight = 0;
  fastify.addHook('onRequest', (_request, _reply, done) => {
    requestsInFlight += 1;
    done();
  });
  // Each request ends in exactly one of these: answered, or abandoned by its client.
  fastify.addHook('onResponse', (_request, _reply, done) => {
    requestsInFlight -= 1;
    done();
  });
  fastify.addHook('onRequestAbort', (_request, done) => {
    requestsInFlight -= 1;
    done();
  });

  let started = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (started) return;
    started = true;
    logger.log(`${signal} received: draining`, 'Shutdown');
    readiness.markShuttingDown();
    const deadline = setTimeout(() => {
      logger.error(
        `grace period of ${settings.graceMs} ms exceeded: forcing exit`,
        undefined,
        'Shutdown',
      );
      process.exit(1);
    }, settings.graceMs);
    deadline.unref();
    try {
      await sleep(settings.readinessDelayMs);
      // Nest's close() shuts the message clients before the HTTP server: a request still in
      // flight then loses its RPC (placing an order asks catalog). So the server stops taking
      // connections first, the requests in flight finish with messaging still up, then close().
      const server: Server = app.getHttpServer();
      const drainedBy = Date.now() + settings.graceMs / 2;
      // Emitted once the listener is closed and the last connection has ended.
      const allClosed = new Promise<void>((resolve) => server.once('close', () => resolve()));
      stopListening(server);
      // Idle keep-alive connections stay open for their clients to close (ShutdownConfig).
      await Promise.race([allClosed, sleep(settings.idleConnectionWaitMs)]);
      server.closeIdleConnections();
      while (requestsInFlight > 0 && Date.now() < drainedBy) await sleep(20);
      await app.close();
      await onClosed();
      logger.log('shutdown complete', 'Shutdown');
      process.exit(0);
    } catch (error) {
      logger.error(
        `shutdown failed: ${(error as Error).message}`,
        (error as Error).stack,
        'Shutdown',
      );
      process.exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void shutdown(signal));
  process.once('SIGINT', (signal) => void shutdown(signal));
}
