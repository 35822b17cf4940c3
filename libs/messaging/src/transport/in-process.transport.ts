import type { ClientProxy, MicroserviceOptions } from '@nestjs/microservices';
import type { DeadLetterStore } from '../delivery/dead-letter.store.js';
import { InProcessBus } from './in-process-bus.js';
import { InProcessClient } from './in-process.client.js';
import { InProcessServer, type InProcessServerOptions } from './in-process.server.js';
import { MessagingTransport } from './messaging-transport.js';

/** Monolith mode: every context in one process, talking over one in-memory bus. */
export class InProcessTransport extends MessagingTransport {
  readonly name = 'in-process';
  readonly server: InProcessServer;

  constructor(
    deadLetters: DeadLetterStore,
    options: InProcessServerOptions = {},
    /** Pass one bus to several apps in a process to let them talk, as separate services would. */
    readonly bus: InProcessBus = new InProcessBus(),
  ) {
    super();
    this.server = new InProcessServer(bus, deadLetters, options);
  }

  microserviceOptions(): MicroserviceOptions {
    return { strategy: this.server };
  }

  createClient(): ClientProxy {
    return new InProcessClient(this.bus);
  }
}
