import type { INestApplication, INestMicroservice } from '@nestjs/common';
import { MessagingTransport } from './transport/messaging-transport.js';

/**
 * Serves the app's `@MessagePattern` / `@EventPattern` handlers on the configured transport.
 * Call it after `NestFactory.create` and before `listen`; then, after `listen`,
 * `await app.startAllMicroservices()`. `inheritAppConfig` applies the app's global pipes,
 * interceptors and filters to message handlers too.
 */
export function connectMessagingTransport(app: INestApplication): INestMicroservice {
  const transport = app.get(MessagingTransport);
  return app.connectMicroservice(transport.microserviceOptions(), { inheritAppConfig: true });
}
