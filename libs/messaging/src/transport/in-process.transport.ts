import type { ClientProxy, MicroserviceOptions } from '@nestjs/microservices';
import type { DeadLetterStore } from '../delivery/dead-letter.store.js';
import type { DeliveryRetryStore } from '../delivery/delivery-retry.store.js';
import { EventDispatcher, type EventDispatcherOptions } from '../delivery/event-dispatcher.js';
import type { EventRedeliverer } from '../delivery/event-redeliverer.js';
import { InProcessBus } from './in-process-bus.js';
import { InProcessClient } from './in-process.client.js';
import { InProcessServer, type InProcessServerOptions } from './in-process.server.js';
import { MessagingTransport } from './messaging-transport.js';

export type InProcessTransportOptions = InProcessServerOptions & EventDispatcherOptions;

/** Monolith mode: every context in one process, talking over one in-memory bus. */
export class InProcessTransport extends MessagingTransport {
  readonly name = 'in-process';
  readonly server: InProcessServer;
  readonly dispatcher: EventDispatcher;

  constructor(
    deadLetters: DeadLetterStore,
    retries: DeliveryRetryStore,
    options: InProcessTransportOptions = {},
    /** Pass one bus to several apps in a process to let them talk, as separate services would. */
    readonly bus: InProcessBus = new InProcessBus(),
  ) {
    super();
    this.dispatcher = new EventDispatcher(deadLetters, retries, options);
    this.server = new InProcessServer(bus, this.dispatcher, options);
  }

  microserviceOptions(): MicroserviceOptions {
    return { strategy: this.server };
  }

  createClient(): ClientProxy {
    return new InProcessClient(this.bus);
  }

  isConnected(): boolean {
    return this.bus.isListening;
  }

  get redeliverer(): EventRedeliverer {
    return this.server;
  }
}
