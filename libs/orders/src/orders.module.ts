import { Clock, SystemClock } from '#lib/kernel';
import { type DynamicModule, Module, type ModuleMetadata, type Provider } from '@nestjs/common';
import { ConfigModule, type ModuleOptionsFactory } from '#lib/config';
import { DatabaseModule, TransactionRunner } from '#lib/database';
import { ResilienceModule } from '#lib/resilience';
import { CatalogClient } from './clients/catalog.client.js';
import { MessagingCatalogClient } from './clients/messaging-catalog.client.js';
import { AwaitingStockMetrics } from './controllers/awaiting-stock.metrics.js';
import { IdempotencyKeySweeper } from './controllers/idempotency-key.sweeper.js';
import { StockConfirmer } from './controllers/stock-confirmer.js';
import { OrdersHttpController } from './controllers/orders.http.controller.js';
import { OrdersMessageController } from './controllers/orders.message.controller.js';
import { OrdersConfig, ordersConfig } from './orders.config.js';
import { ORDERS_PERSISTENCE } from './orders.persistence.js';
import { IdempotencyKeyRepository } from './repositories/idempotency-key.repository.js';
import { TypeormIdempotencyKeyRepository } from './repositories/idempotency-key.typeorm-repository.js';
import { OrderRepository } from './repositories/order.repository.js';
import { TypeormOrderRepository } from './repositories/order.typeorm-repository.js';
import { CancelOrderOnPaymentFailureService } from './services/cancel-order-on-payment-failure.service.js';
import { CancelOrderService } from './services/cancel-order.service.js';
import { ConfirmAwaitingOrdersService } from './services/confirm-awaiting-orders.service.js';
import { GetOrderService } from './services/get-order.service.js';
import { ListOrdersService } from './services/list-orders.service.js';
import { MarkOrderPaidService } from './services/mark-order-paid.service.js';
import { OrderChanges } from './services/order-changes.js';
import { type OrdersModuleOptions, OrdersSettings } from './services/orders-settings.js';
import { PlaceOrderService } from './services/place-order.service.js';
import { UnitOfWork } from './services/ports/unit-of-work.port.js';
import { ShipOrderService } from './services/ship-order.service.js';
import { SweepIdempotencyKeysService } from './services/sweep-idempotency-keys.service.js';

export type OrdersModuleAsyncOptions = ModuleOptionsFactory<OrdersModuleOptions>;

const PROVIDERS: Provider[] = [
  // Ports and the adapters that implement them here.
  { provide: OrderRepository, useClass: TypeormOrderRepository },
  { provide: IdempotencyKeyRepository, useClass: TypeormIdempotencyKeyRepository },
  { provide: CatalogClient, useClass: MessagingCatalogClient },
  { provide: Clock, useClass: SystemClock },
  { provide: UnitOfWork, useExisting: TransactionRunner },
  // Use cases.
  OrderChanges,
  PlaceOrderService,
  GetOrderService,
  ListOrdersService,
  CancelOrderService,
  ShipOrderService,
  MarkOrderPaidService,
  CancelOrderOnPaymentFailureService,
  SweepIdempotencyKeysService,
  ConfirmAwaitingOrdersService,
  // Workers.
  IdempotencyKeySweeper,
  StockConfirmer,
  AwaitingStockMetrics,
];

/**
 * The orders context: placing orders (idempotently), their state machine, and its part of the
 * order saga. Needs the platform's global modules (config, database, messaging, guards); owns the
 * `orders` Postgres schema. Talks to the catalog only through `catalog.v1.*` requests.
 */
@Module({})
export class OrdersModule {
  /** What an app that runs orders imports: options from the `orders` config section. */
  static forRootFromEnv(): DynamicModule {
    return OrdersModule.forRootAsync({
      imports: [ConfigModule.forFeature(ordersConfig)],
      inject: [OrdersConfig],
      useFactory: (config: OrdersConfig): OrdersModuleOptions => config,
    });
  }

  /** Settings given as values; anything left out takes its default (see OrdersModuleOptions). */
  static forRoot(options: OrdersModuleOptions = {}): DynamicModule {
    return OrdersModule.with([], {
      provide: OrdersSettings,
      useValue: new OrdersSettings(options),
    });
  }

  /** Settings from other providers, e.g. a config section's settings. */
  static forRootAsync(options: OrdersModuleAsyncOptions): DynamicModule {
    return OrdersModule.with(options.imports ?? [], {
      provide: OrdersSettings,
      useFactory: async (...dependencies: never[]) =>
        new OrdersSettings(await options.useFactory(...dependencies)),
      inject: options.inject ?? [],
    });
  }

  private static with(
    imports: NonNullable<ModuleMetadata['imports']>,
    settings: Provider,
  ): DynamicModule {
    return {
      module: OrdersModule,
      imports: [DatabaseModule.forFeature(ORDERS_PERSISTENCE), ResilienceModule, ...imports],
      controllers: [OrdersHttpController, OrdersMessageController],
      providers: [settings, ...PROVIDERS],
    };
  }
}
