import { type DynamicModule, type InjectionToken, Module, type Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { DatabaseModule } from '#lib/database';
import { ClientProxy } from '@nestjs/microservices';
import { MessagingClient } from './client/messaging.client.js';
import { IdempotentConsumer } from './consumer/idempotent-consumer.js';
import { CorrelationInterceptor } from './correlation/correlation.interceptor.js';
import { DeadLetterStore } from './delivery/dead-letter.store.js';
import { TypeormDeadLetterStore } from './delivery/dead-letter.typeorm-store.js';
import { RpcErrorInterceptor } from './errors/rpc-error.interceptor.js';
import {
  MESSAGING_OPTIONS,
  type MessagingModuleOptions,
  type ResolvedMessagingOptions,
  resolveMessagingOptions,
} from './messaging-options.js';
import { MESSAGING_PERSISTENCE } from './messaging.persistence.js';
import { EventPublisher } from './outbox/event-publisher.js';
import { OutboxEventPublisher } from './outbox/outbox.event-publisher.js';
import { OutboxRelay } from './outbox/outbox.relay.js';
import { InProcessTransport } from './transport/in-process.transport.js';
import { MessagingTransport } from './transport/messaging-transport.js';

export interface MessagingModuleAsyncOptions {
  readonly inject?: InjectionToken[];
  readonly useFactory: (
    ...dependencies: never[]
  ) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
}

function createTransport(
  options: ResolvedMessagingOptions,
  deadLetters: DeadLetterStore,
): MessagingTransport {
  switch (options.transport) {
    case 'in-process':
      return new InProcessTransport(
        deadLetters,
        options.defaultDeliveryPolicy
          ? { defaultDeliveryPolicy: options.defaultDeliveryPolicy }
          : {},
        options.bus,
      );
  }
}

const PROVIDERS: Provider[] = [
  { provide: DeadLetterStore, useClass: TypeormDeadLetterStore },
  {
    provide: MessagingTransport,
    useFactory: createTransport,
    inject: [MESSAGING_OPTIONS, DeadLetterStore],
  },
  {
    provide: ClientProxy,
    useFactory: (transport: MessagingTransport) => transport.createClient(),
    inject: [MessagingTransport],
  },
  MessagingClient,
  { provide: EventPublisher, useClass: OutboxEventPublisher },
  IdempotentConsumer,
  OutboxRelay,
  // Global: one place per concern for every message handler (and correlation for HTTP handlers).
  { provide: APP_INTERCEPTOR, useClass: CorrelationInterceptor },
  { provide: APP_INTERCEPTOR, useClass: RpcErrorInterceptor },
];

const EXPORTS = [
  MESSAGING_OPTIONS,
  MessagingTransport,
  ClientProxy,
  MessagingClient,
  EventPublisher,
  IdempotentConsumer,
  DeadLetterStore,
  OutboxRelay,
];

/**
 * Messaging for every context of an app: the transport (chosen by `transport`), a ClientProxy and
 * its promise wrapper MessagingClient, the outbox (EventPublisher + OutboxRelay), idempotent
 * consumption and dead letters, on the `messaging` Postgres schema. Import once, in PlatformModule;
 * then serve the handlers with `connectMessagingTransport(app)` (see there).
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions = {}): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [DatabaseModule.forFeature(MESSAGING_PERSISTENCE)],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: resolveMessagingOptions(options) },
        ...PROVIDERS,
      ],
      exports: EXPORTS,
    };
  }

  /** Options from other providers, typically `inject: [AppConfig]`. */
  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [DatabaseModule.forFeature(MESSAGING_PERSISTENCE)],
      providers: [
        {
          provide: MESSAGING_OPTIONS,
          useFactory: async (...dependencies: never[]) =>
            resolveMessagingOptions(await options.useFactory(...dependencies)),
          inject: options.inject ?? [],
        },
        ...PROVIDERS,
      ],
      exports: EXPORTS,
    };
  }
}
