import { type DynamicModule, type InjectionToken, Module, type Provider } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DatabaseConnection, databaseRegistry } from '#lib/database';
import { ClientProxy } from '@nestjs/microservices';
import { register } from 'prom-client';
import { DataSource } from 'typeorm';
import { MessagingClient } from './client/messaging.client.js';
import { IdempotentConsumer } from './consumer/idempotent-consumer.js';
import { DeadLetterStore } from './delivery/dead-letter.store.js';
import { TypeormDeadLetterStore } from './delivery/dead-letter.typeorm-store.js';
import { DeliveryRetryStore } from './delivery/delivery-retry.store.js';
import { TypeormDeliveryRetryStore } from './delivery/delivery-retry.typeorm-store.js';
import { DeliveryRetryWorker } from './delivery/delivery-retry.worker.js';
import { interceptMessageHandlers } from './message-handler-interceptors.js';
import {
  MESSAGING_OPTIONS,
  MESSAGING_OWNER,
  type MessagingModuleOptions,
  type ResolvedMessagingOptions,
  resolveMessagingOptions,
} from './messaging-options.js';
import { MessagingBacklogMetrics } from './maintenance/messaging-backlog.metrics.js';
import { MessagingBacklogReader } from './maintenance/messaging-backlog.reader.js';
import { MessagingRetentionJob } from './maintenance/messaging-retention.job.js';
import {
  MESSAGING_RETENTION_OPTIONS,
  type MessagingMaintenanceOptions,
  type ResolvedMessagingRetentionOptions,
  resolveMessagingRetentionOptions,
} from './maintenance/messaging-retention.options.js';
import { EventPublisher } from './outbox/event-publisher.js';
import { OutboxEventPublisher } from './outbox/outbox.event-publisher.js';
import { OutboxRelay } from './outbox/outbox.relay.js';
import { OutboxRelayMetrics } from './outbox/outbox-relay.metrics.js';
import { InProcessTransport } from './transport/in-process.transport.js';
import { MessagingTransport } from './transport/messaging-transport.js';
import { RmqTransport } from './transport/rmq/rmq.transport.js';
import { MessagingSchemas } from './tables/messaging-schemas.js';

/** Everything `MessagingModule.forRoot` takes: the transport and relay, plus table maintenance. */
export type MessagingModuleSettings = MessagingModuleOptions & MessagingMaintenanceOptions;

export interface MessagingModuleAsyncOptions {
  readonly inject?: InjectionToken[];
  readonly useFactory: (
    ...dependencies: never[]
  ) => MessagingModuleSettings | Promise<MessagingModuleSettings>;
}

/** The settings as given, resolved into each part's options below. */
const MESSAGING_SETTINGS = Symbol('MESSAGING_SETTINGS');

function createTransport(
  options: ResolvedMessagingOptions,
  deadLetters: DeadLetterStore,
  retries: DeliveryRetryStore,
  schemas: MessagingSchemas,
): MessagingTransport {
  const dispatcherOptions = {
    // Start-up fails on a handler whose consumer names no context of this app.
    checkConsumer: (consumer: string) => void schemas.ofConsumer(consumer),
    ...(options.defaultDeliveryPolicy && { defaultDeliveryPolicy: options.defaultDeliveryPolicy }),
    ...(options.inlineRetryMaxMs !== undefined && { inlineRetryMaxMs: options.inlineRetryMaxMs }),
    ...(options.handlerConcurrency !== undefined && {
      handlerConcurrency: options.handlerConcurrency,
    }),
  };
  switch (options.transport) {
    case 'in-process':
      return new InProcessTransport(deadLetters, retries, dispatcherOptions, options.bus);
    case 'rmq':
      if (!options.rmq) throw new Error('the rmq transport needs its connection settings (rmq)');
      return new RmqTransport(deadLetters, retries, { ...options.rmq, ...dispatcherOptions });
  }
}

const PROVIDERS: Provider[] = [
  {
    provide: MessagingSchemas,
    useFactory: (options: ResolvedMessagingOptions) =>
      options.schemas
        ? new MessagingSchemas(options.schemas)
        : // Every context module has declared its persistence by the time providers are built.
          MessagingSchemas.of(databaseRegistry.features),
    inject: [MESSAGING_OPTIONS],
  },
  {
    provide: MESSAGING_OPTIONS,
    useFactory: (settings: MessagingModuleSettings) => resolveMessagingOptions(settings),
    inject: [MESSAGING_SETTINGS],
  },
  {
    provide: MESSAGING_OWNER,
    useFactory: (options: ResolvedMessagingOptions) => options.owner,
    inject: [MESSAGING_OPTIONS],
  },
  {
    provide: MESSAGING_RETENTION_OPTIONS,
    useFactory: (settings: MessagingModuleSettings) =>
      resolveMessagingRetentionOptions(settings.retention),
    inject: [MESSAGING_SETTINGS],
  },
  { provide: DeadLetterStore, useClass: TypeormDeadLetterStore },
  { provide: DeliveryRetryStore, useClass: TypeormDeliveryRetryStore },
  {
    provide: MessagingTransport,
    useFactory: createTransport,
    inject: [MESSAGING_OPTIONS, DeadLetterStore, DeliveryRetryStore, MessagingSchemas],
  },
  {
    provide: DeliveryRetryWorker,
    useFactory: (
      store: DeliveryRetryStore,
      transport: MessagingTransport,
      options: ResolvedMessagingOptions,
      connection?: DatabaseConnection,
    ) =>
      new DeliveryRetryWorker(
        store,
        transport.dispatcher,
        transport.redeliverer,
        options.retryWorker,
        connection,
      ),
    inject: [
      DeliveryRetryStore,
      MessagingTransport,
      MESSAGING_OPTIONS,
      { token: DatabaseConnection, optional: true },
    ],
  },
  {
    provide: ClientProxy,
    useFactory: (transport: MessagingTransport) => transport.createClient(),
    inject: [MessagingTransport],
  },
  MessagingClient,
  { provide: EventPublisher, useClass: OutboxEventPublisher },
  IdempotentConsumer,
  // Metrics go to prom-client's global registry: the one /metrics serves.
  { provide: OutboxRelayMetrics, useFactory: () => new OutboxRelayMetrics(register) },
  OutboxRelay,
  {
    provide: MessagingBacklogReader,
    useFactory: (dataSource: DataSource, schemas: MessagingSchemas) =>
      new MessagingBacklogReader(dataSource, schemas),
    inject: [DataSource, MessagingSchemas],
  },
  {
    provide: MessagingBacklogMetrics,
    useFactory: (reader: MessagingBacklogReader, connection?: DatabaseConnection) =>
      new MessagingBacklogMetrics(reader, register, connection),
    inject: [MessagingBacklogReader, { token: DatabaseConnection, optional: true }],
  },
  {
    provide: MessagingRetentionJob,
    useFactory: (
      dataSource: DataSource,
      schemas: MessagingSchemas,
      options: ResolvedMessagingRetentionOptions,
      connection?: DatabaseConnection,
    ) => new MessagingRetentionJob(dataSource, schemas, options, connection),
    inject: [
      DataSource,
      MessagingSchemas,
      MESSAGING_RETENTION_OPTIONS,
      { token: DatabaseConnection, optional: true },
    ],
  },
];

const EXPORTS = [
  MESSAGING_OPTIONS,
  MessagingSchemas,
  MESSAGING_OWNER,
  MessagingTransport,
  ClientProxy,
  MessagingClient,
  EventPublisher,
  IdempotentConsumer,
  DeadLetterStore,
  DeliveryRetryStore,
  DeliveryRetryWorker,
  OutboxRelay,
  MessagingBacklogReader,
  MessagingRetentionJob,
];

/**
 * Messaging for every context of an app: the transport (chosen by `transport`), a ClientProxy and
 * its promise wrapper MessagingClient, the outbox (EventPublisher + OutboxRelay), idempotent
 * consumption and dead letters, in the messaging tables of each context the app runs (in the
 * context's own schema, see MessagingSchemas), with backlog metrics and the retention job that
 * keeps those tables bounded. Every message handler of the app gets its span and RPC error reply
 * (interceptMessageHandlers); HTTP routes get neither. Import once, in PlatformModule; then serve the
 * handlers with `connectMessagingTransport(app)` (see there).
 */
@Module({})
export class MessagingModule {
  // Module instances are built with the providers, after every module is scanned and before Nest
  // builds any message handler: the one moment that serves hybrid apps and microservices alike.
  constructor(modules: ModulesContainer) {
    interceptMessageHandlers(modules);
  }

  static forRoot(options: MessagingModuleSettings = {}): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [{ provide: MESSAGING_SETTINGS, useValue: options }, ...PROVIDERS],
      exports: EXPORTS,
    };
  }

  /** Options from other providers, typically the `messaging` config section (`inject: [MessagingConfig]`). */
  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        {
          provide: MESSAGING_SETTINGS,
          useFactory: options.useFactory,
          inject: options.inject ?? [],
        },
        ...PROVIDERS,
      ],
      exports: EXPORTS,
    };
  }
}
