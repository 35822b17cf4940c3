import type { ClientProxy, MicroserviceOptions } from '@nestjs/microservices';

/**
 * The transport switch. Contexts only ever see Nest's `ClientProxy` and their
 * `@MessagePattern` / `@EventPattern` handlers; which transport carries them is decided here,
 * once per app, from configuration. `InProcessTransport` serves monolith mode; split mode adds an
 * RMQ implementation of this class and nothing else changes.
 */
export abstract class MessagingTransport {
  /** Names the transport in logs and health output. */
  abstract readonly name: string;

  /** What `app.connectMicroservice(...)` takes to serve this app's message handlers. */
  abstract microserviceOptions(): MicroserviceOptions;

  /** A client for `send` / `emit`; one per app is enough. */
  abstract createClient(): ClientProxy;
}
