import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, type Params, PARAMS_PROVIDER_TOKEN, PinoLogger } from 'nestjs-pino';
import { HttpMetrics } from './http-metrics.js';
import { registerHttpObservabilityHooks } from './http-observability.hooks.js';
import { REQUEST_ID_LOG_KEY } from './request-id.js';

/**
 * Called by the bootstrap between `NestFactory.create` (with `bufferLogs: true`) and `listen`:
 * Nest's own logs go through pino from here on, and the HTTP hooks are in place before any route.
 */
export function attachObservability(app: NestFastifyApplication): void {
  app.useLogger(app.get(Logger));
  // Set by nestjs-pino when its logger is built, which `app.get(Logger)` above guarantees.
  const root = PinoLogger.root;
  if (root === undefined) throw new Error('ObservabilityModule is not imported by the app module');
  // Only for runInContext, which binds the request id for every PinoLogger in the request.
  const contexts = new PinoLogger(app.get<Params>(PARAMS_PROVIDER_TOKEN));
  registerHttpObservabilityHooks(
    app.getHttpAdapter().getInstance(),
    app.get(HttpMetrics),
    root,
    (requestId, next) =>
      contexts.runInContext(next, { bindings: { [REQUEST_ID_LOG_KEY]: requestId } }),
  );
}
