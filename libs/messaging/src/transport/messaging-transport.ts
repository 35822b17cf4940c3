import type { ClientProxy, MicroserviceOptions } from '@nestjs/microservices';
import type { EventDispatcher } from '../delivery/event-dispatcher.js';
import type { EventRedeliverer } from '../delivery/event-redeliverer.js';

/**
 * The transport switch. Contexts only ever see Nest's `ClientProxy` and their
 * `@MessagePattern` / `@EventPattern` handlers; which transport carries them is decided here,
 * once per app, from configuration: `InProcessTransport` in monolith mode, `RmqTransport` in
 * split mode. Delivery policy, correlation, validation and error translation live outside the
 * transports (EventDispatcher, interceptors, pipes); a transport carries bytes and acks.
 */
export abstract class MessagingTransport {
  /** Names the transport in logs and health output. */
  abstract readonly name: string;

  /** What `app.connectMicroservice(...)` takes to serve this app's message handlers. */
  abstract microserviceOptions(): MicroserviceOptions;

  /** A client for `send` / `emit`; one per app is enough. */
  abstract createClient(): ClientProxy;

  /**
   * Whether messages flow now: the broker connection is up (split mode) or the server listens
   * (monolith mode). Readiness reports it; a false value never throws.
   */
  abstract isConnected(): boolean;

  /** Why messages cannot flow now (readiness shows it), or undefined while they can. */
  unavailableReason(): string | undefined {
    return this.isConnected() ? undefined : `the ${this.name} transport is not connected`;
  }

  /** The delivery policy of this app's event handlers; the retry worker asks it whose retries to take. */
  abstract readonly dispatcher: EventDispatcher;

  /** Delivers stored retries through this transport's handler pipeline. */
  abstract readonly redeliverer: EventRedeliverer;
}
