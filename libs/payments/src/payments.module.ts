import { Clock, SystemClock } from '#lib/kernel';
import { type DynamicModule, Module, type ModuleMetadata, type Provider } from '@nestjs/common';
import { ConfigModule, type ModuleOptionsFactory } from '#lib/config';
import { DatabaseModule, TransactionRunner } from '#lib/database';
import { CircuitBreakerRegistry, ResilienceModule, ResiliencePolicy } from '#lib/resilience';
import { DataSource } from 'typeorm';
import { ResilientPaymentProvider } from './clients/resilient-payment.provider.js';
import { SimulatedPaymentProvider } from './clients/simulated-payment.provider.js';
import { DuePaymentsMetrics } from './controllers/due-payments.metrics.js';
import { DuePaymentsWorker } from './controllers/due-payments.worker.js';
import { OrderEventsMessageController } from './controllers/order-events.message.controller.js';
import { PaymentsHttpController } from './controllers/payments.http.controller.js';
import {
  PAYMENTS_OPTIONS,
  type PaymentsModuleOptions,
  type ResolvedPaymentsOptions,
  resolvePaymentsOptions,
} from './payments-options.js';
import { PaymentsConfig, paymentsConfig } from './payments.config.js';
import { PAYMENTS_PERSISTENCE } from './payments.persistence.js';
import { CancelledOrderRepository } from './repositories/cancelled-order.repository.js';
import { TypeormCancelledOrderRepository } from './repositories/cancelled-order.typeorm-repository.js';
import { PaymentRepository } from './repositories/payment.repository.js';
import { TypeormPaymentRepository } from './repositories/payment.typeorm-repository.js';
import { CancelPaymentService } from './services/cancel-payment.service.js';
import { ChargePaymentService } from './services/charge-payment.service.js';
import { ListOrderPaymentsService } from './services/list-order-payments.service.js';
import { OpenPaymentService } from './services/open-payment.service.js';
import { PaymentChangeRecorder } from './services/payment-change.recorder.js';
import { PaymentRetrySchedule } from './services/payment-retry.schedule.js';
import { PaymentSettings } from './services/payment-settings.js';
import { PaymentProvider } from './services/ports/payment-provider.port.js';
import { UnitOfWork } from './services/ports/unit-of-work.port.js';
import { ProcessDuePaymentsService } from './services/process-due-payments.service.js';
import { ReconcilePaymentService } from './services/reconcile-payment.service.js';
import { RefundPaymentService } from './services/refund-payment.service.js';

/** Name of the provider's circuit breaker: its state is `circuit_breaker_state{breaker="payment-provider"}`. */
export const PAYMENT_PROVIDER_BREAKER = 'payment-provider';

export type PaymentsModuleAsyncOptions = ModuleOptionsFactory<PaymentsModuleOptions>;

/** The simulated provider, behind timeout, retries and the shared "payment-provider" breaker. */
function createPaymentProvider(
  dataSource: DataSource,
  breakers: CircuitBreakerRegistry,
  { provider, providerCall, breaker }: ResolvedPaymentsOptions,
): PaymentProvider {
  const policy = new ResiliencePolicy(breakers.create(PAYMENT_PROVIDER_BREAKER, breaker), {
    timeoutMs: providerCall.timeoutMs,
    retry: {
      maxAttempts: providerCall.maxAttempts,
      baseDelayMs: providerCall.retryBaseMs,
      maxDelayMs: providerCall.retryMaxMs,
    },
  });
  return new ResilientPaymentProvider(new SimulatedPaymentProvider(dataSource, provider), policy);
}

const PROVIDERS: Provider[] = [
  // Ports and the adapters that implement them here.
  { provide: PaymentRepository, useClass: TypeormPaymentRepository },
  { provide: CancelledOrderRepository, useClass: TypeormCancelledOrderRepository },
  { provide: UnitOfWork, useExisting: TransactionRunner },
  { provide: Clock, useClass: SystemClock },
  {
    provide: PaymentProvider,
    inject: [DataSource, CircuitBreakerRegistry, PAYMENTS_OPTIONS],
    useFactory: createPaymentProvider,
  },
  {
    provide: PaymentSettings,
    inject: [PAYMENTS_OPTIONS],
    useFactory: ({ worker }: ResolvedPaymentsOptions): PaymentSettings =>
      new PaymentSettings(
        worker.retryBaseMs,
        worker.retryMaxMs,
        worker.chargeDeadlineMs,
        worker.leaseMs,
        worker.batchSize,
      ),
  },
  {
    provide: PaymentRetrySchedule,
    inject: [PaymentSettings],
    useFactory: (settings: PaymentSettings) => new PaymentRetrySchedule(settings),
  },
  // Use cases.
  PaymentChangeRecorder,
  OpenPaymentService,
  CancelPaymentService,
  ChargePaymentService,
  RefundPaymentService,
  ReconcilePaymentService,
  ProcessDuePaymentsService,
  ListOrderPaymentsService,
  DuePaymentsWorker,
  DuePaymentsMetrics,
];

/**
 * The payments context: charges placed orders exactly once through the payment provider, refunds
 * cancelled ones, and shows an order's payments. Needs the platform's global modules (config,
 * database, messaging, guards); owns the `payments` Postgres schema.
 */
@Module({})
export class PaymentsModule {
  /** What an app that runs payments imports: options from the `payments` config section. */
  static forRootFromEnv(): DynamicModule {
    return PaymentsModule.forRootAsync({
      imports: [ConfigModule.forFeature(paymentsConfig)],
      inject: [PaymentsConfig],
      useFactory: (config: PaymentsConfig): PaymentsModuleOptions => config,
    });
  }

  static forRoot(options: PaymentsModuleOptions = {}): DynamicModule {
    return PaymentsModule.build([], {
      provide: PAYMENTS_OPTIONS,
      useValue: resolvePaymentsOptions(options),
    });
  }

  /** Options from other providers, e.g. a config section's settings. */
  static forRootAsync(options: PaymentsModuleAsyncOptions): DynamicModule {
    return PaymentsModule.build(options.imports ?? [], {
      provide: PAYMENTS_OPTIONS,
      inject: options.inject ?? [],
      useFactory: async (...dependencies: never[]) =>
        resolvePaymentsOptions(await options.useFactory(...dependencies)),
    });
  }

  private static build(
    imports: NonNullable<ModuleMetadata['imports']>,
    options: Provider,
  ): DynamicModule {
    return {
      module: PaymentsModule,
      imports: [DatabaseModule.forFeature(PAYMENTS_PERSISTENCE), ResilienceModule, ...imports],
      controllers: [PaymentsHttpController, OrderEventsMessageController],
      providers: [options, ...PROVIDERS],
    };
  }
}
