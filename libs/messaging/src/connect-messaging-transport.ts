import type { INestMicroservice } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { correlateHttpRequests } from './correlation/http-request-correlation.js';
import { MessagingTransport } from './transport/messaging-transport.js';

/**
 * Serves the app's `@MessagePattern` / `@EventPattern` handlers on the configured transport, and
 * makes each HTTP request the correlation of the messages it sends. Call it after
 * `NestFactory.create` and before `listen`; then, after `listen`, `await app.startAllMicroservices()`.
 * `inheritAppConfig` applies the app's global pipes, guards and filters to message handlers too;
 * their own interceptors (span, RPC error reply) are theirs alone (interceptMessageHandlers).
 */
export function connectMessagingTransport(app: NestFastifyApplication): INestMicroservice {
  const transport = app.get(MessagingTransport);
  correlateHttpRequests(app.getHttpAdapter().getInstance());
  return app.connectMicroservice(transport.microserviceOptions(), { inheritAppConfig: true });
}
