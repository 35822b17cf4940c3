import type { OnApplicationShutdown } from '@nestjs/common';
import type { ClientProxy, MicroserviceOptions } from '@nestjs/microservices';
import type { DeadLetterStore } from '../../delivery/dead-letter.store.js';
import type { DeliveryRetryStore } from '../../delivery/delivery-retry.store.js';
import { EventDispatcher, type EventDispatcherOptions } from '../../delivery/event-dispatcher.js';
import type { EventRedeliverer } from '../../delivery/event-redeliverer.js';
import { MessagingTransport } from '../messaging-transport.js';
import { BrokerCopyDeadLetterStore } from './broker-copy.dead-letter-store.js';
import { RmqClient } from './rmq.client.js';
import { RmqServer } from './rmq.server.js';
import {
  type ResolvedRmqTransportOptions,
  resolveRmqTransportOptions,
  type RmqTransportOptions,
} from './rmq-topology.js';

/** Split mode: each app a separate process, requests and events carried by RabbitMQ. */
export class RmqTransport extends MessagingTransport implements OnApplicationShutdown {
  readonly name = 'rmq';
  readonly server: RmqServer;
  readonly dispatcher: EventDispatcher;
  readonly settings: ResolvedRmqTransportOptions;
  private readonly clients: RmqClient[] = [];

  constructor(
    deadLetters: DeadLetterStore,
    retries: DeliveryRetryStore,
    options: RmqTransportOptions & EventDispatcherOptions,
  ) {
    super();
    this.settings = resolveRmqTransportOptions(options);
    // The server publishes the broker copy of dead letters, and the dispatcher writes them: the
    // store reaches the server through this late-bound reference.
    const late: { server?: RmqServer } = {};
    const brokerCopy = new BrokerCopyDeadLetterStore(deadLetters, {
      publishDeadLetter: async (deadLetter) => late.server?.publishDeadLetter(deadLetter),
    });
    this.dispatcher = new EventDispatcher(brokerCopy, retries, options);
    this.server = late.server = new RmqServer(this.dispatcher, this.settings);
  }

  microserviceOptions(): MicroserviceOptions {
    return { strategy: this.server };
  }

  createClient(): ClientProxy {
    const client = new RmqClient(this.settings);
    this.clients.push(client);
    // ClientRMQ narrows its status type to RmqStatus; ClientProxy's is string.
    return client as unknown as ClientProxy;
  }

  isConnected(): boolean {
    return this.server.isBrokerConnected() && this.clients.every((client) => client.isHealthy());
  }

  override unavailableReason(): string | undefined {
    const blocked = this.clients.find((client) => client.blockedBy !== undefined)?.blockedBy;
    if (blocked !== undefined) return `the broker blocks publishing: ${blocked}`;
    return super.unavailableReason() ?? this.server.consumerUnavailableReason();
  }

  get redeliverer(): EventRedeliverer {
    return this.server;
  }

  /** After every `beforeApplicationShutdown` (the relay's last publishes): close the clients. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.clients.splice(0).map((client) => client.close()));
  }
}
