import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { HttpMetrics } from './http-metrics.js';
import { registerHttpObservabilityHooks } from './http-observability.hooks.js';

/**
 * Called by the bootstrap between `NestFactory.create` (with `bufferLogs: true`) and `listen`:
 * Nest's own logs go through pino from here on, and the HTTP hooks are in place before any route.
 */
export function attachObservability(app: NestFastifyApplication): void {
  app.useLogger(app.get(Logger));
  // Set by nestjs-pino when its logger is built, which `app.get(Logger)` above guarantees.
  const root = PinoLogger.root;
  if (root === undefined) throw new Error('ObservabilityModule is not imported by the app module');
  registerHttpObservabilityHooks(app.getHttpAdapter().getInstance(), app.get(HttpMetrics), root);
}
