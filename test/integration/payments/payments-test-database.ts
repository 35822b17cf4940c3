import { SystemClock } from '#lib/kernel';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { TransactionRunner } from '#lib/database';
import { ORDER_EVENTS } from '#lib/contracts';
import {
  createEnvelope,
  IdempotentConsumer,
  MessagingSchemas,
  OutboxEventPublisher,
} from '#lib/messaging';
import { CircuitBreaker, ResiliencePolicy } from '#lib/resilience';
import { openTestDataSource } from '#lib/testing';
import { DataSource } from 'typeorm';
import { ResilientPaymentProvider } from '../../../libs/payments/src/clients/resilient-payment.provider.js';
import { SimulatedPaymentProvider } from '../../../libs/payments/src/clients/simulated-payment.provider.js';
import { DuePaymentsWorker } from '../../../libs/payments/src/controllers/due-payments.worker.js';
import { OrderEventsMessageController } from '../../../libs/payments/src/controllers/order-events.message.controller.js';
import {
  DEFAULT_SIMULATED_PAYMENT_PROVIDER_OPTIONS,
  type SimulatedPaymentProviderOptions,
} from '../../../libs/payments/src/clients/simulated-payment-provider.options.js';
import { resolvePaymentsOptions } from '../../../libs/payments/src/payments-options.js';
import { PAYMENTS_PERSISTENCE } from '../../../libs/payments/src/payments.persistence.js';
import { TypeormCancelledOrderRepository } from '../../../libs/payments/src/repositories/cancelled-order.typeorm-repository.js';
import { TypeormPaymentRepository } from '../../../libs/payments/src/repositories/payment.typeorm-repository.js';
import { CancelPaymentService } from '../../../libs/payments/src/services/cancel-payment.service.js';
import { ChargePaymentService } from '../../../libs/payments/src/services/charge-payment.service.js';
import { OpenPaymentService } from '../../../libs/payments/src/services/open-payment.service.js';
import { PaymentChangeRecorder } from '../../../libs/payments/src/services/payment-change.recorder.js';
import { PaymentRetrySchedule } from '../../../libs/payments/src/services/payment-retry.schedule.js';
import { PaymentSettings } from '../../../libs/payments/src/services/payment-settings.js';
import type {
  ChargeLookupResult,
  ChargeRequest,
  ChargeResult,
  ProviderCallOptions,
  RefundRequest,
  RefundResult,
} from '../../../libs/payments/src/services/ports/payment-provider.port.js';
import { PaymentProvider } from '../../../libs/payments/src/services/ports/payment-provider.port.js';
import { ProcessDuePaymentsService } from '../../../libs/payments/src/services/process-due-payments.service.js';
import { ReconcilePaymentService } from '../../../libs/payments/src/services/reconcile-payment.service.js';
import { RefundPaymentService } from '../../../libs/payments/src/services/refund-payment.service.js';
import { TEST_DATABASE_URL } from '../../support/test-environment.js';

/**
 * A database per suite: e2e apps run payment workers against the shared test database, and
 * suites run in parallel, so a shared one would let someone else's worker take our due payments.
 */
export function createPaymentsDataSource(suite: string, poolMax = 10): Promise<DataSource> {
  return openTestDataSource({
    url: TEST_DATABASE_URL,
    features: [PAYMENTS_PERSISTENCE],
    ownDatabase: `payments_${suite}`,
    poolMax,
  });
}

/** Another connection pool on the same database: what a second replica would have. */
export async function openReplica(primary: DataSource, poolMax = 5): Promise<DataSource> {
  const replica = new DataSource({
    ...primary.options,
    extra: { max: poolMax },
  });
  await replica.initialize();
  return replica;
}

export async function resetPaymentsTables(dataSource: DataSource): Promise<void> {
  await dataSource.query(
    `TRUNCATE payments.payments, payments.cancelled_orders, payments.simulated_provider_charges,
              payments.outbox, payments.processed_messages, payments.dead_letters,
              payments.delivery_retries`,
  );
}

/** Wraps a provider and counts the calls that reached it, per idempotency key. */
export class CountingPaymentProvider extends PaymentProvider {
  readonly chargeCallsByKey = new Map<string, number>();

  constructor(
    private readonly provider: PaymentProvider,
    /** Awaited before a charge reaches the provider: lets a test keep one call waiting. */
    private readonly beforeCharge: (request: ChargeRequest) => Promise<void> = () =>
      Promise.resolve(),
  ) {
    super();
  }

  async charge(request: ChargeRequest, options?: ProviderCallOptions): Promise<ChargeResult> {
    const key = request.idempotencyKey;
    this.chargeCallsByKey.set(key, (this.chargeCallsByKey.get(key) ?? 0) + 1);
    await this.beforeCharge(request);
    return this.provider.charge(request, options);
  }

  refund(request: RefundRequest, options?: ProviderCallOptions): Promise<RefundResult> {
    return this.provider.refund(request, options);
  }

  lookUpCharge(idempotencyKey: string, options?: ProviderCallOptions): Promise<ChargeLookupResult> {
    return this.provider.lookUpCharge(idempotencyKey, options);
  }
}

export interface PaymentsReplicaOptions {
  readonly provider?: Partial<SimulatedPaymentProviderOptions>;
  readonly batchSize?: number;
  readonly leaseMs?: number;
  /** Deadline of one provider call attempt; short when the provider is told to lose answers. */
  readonly callTimeoutMs?: number;
  readonly chargeDeadlineMs?: number;
  readonly beforeCharge?: (request: ChargeRequest) => Promise<void>;
  /** The app the replica belongs to (its SERVICE_NAME); none: it works every app's payments. */
  readonly owner?: string;
}

/** The payments use cases of one replica, on real Postgres, with the simulated provider. */
export function paymentsReplica(dataSource: DataSource, options: PaymentsReplicaOptions = {}) {
  Logger.overrideLogger(false);
  const transactions = new TransactionRunner(dataSource);
  const clock = new SystemClock();
  const payments = new TypeormPaymentRepository(transactions, options.owner);
  const cancelledOrders = new TypeormCancelledOrderRepository(transactions);
  const settings = new PaymentSettings(
    50,
    200,
    options.chargeDeadlineMs ?? 60_000,
    options.leaseMs ?? 10_000,
    options.batchSize ?? 10,
  );
  const schedule = new PaymentRetrySchedule(settings);
  const simulated = new SimulatedPaymentProvider(dataSource, {
    ...DEFAULT_SIMULATED_PAYMENT_PROVIDER_OPTIONS,
    latencyMs: 5,
    ...options.provider,
  });
  const provider = new CountingPaymentProvider(simulated, options.beforeCharge);
  const breaker = new CircuitBreaker(`payment-provider-${randomUUID()}`, {
    errorThresholdPercentage: 50,
    volumeThreshold: 5,
    resetTimeoutMs: 200,
  });
  const policy = new ResiliencePolicy(breaker, {
    timeoutMs: options.callTimeoutMs ?? 2_000,
    retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 },
  });
  const schemas = new MessagingSchemas(['payments']);
  const changes = new PaymentChangeRecorder(
    payments,
    transactions,
    new OutboxEventPublisher(transactions, schemas),
    clock,
  );
  const resilient = new ResilientPaymentProvider(provider, policy);
  const consumer = new IdempotentConsumer(transactions, schemas);
  const openPayment = new OpenPaymentService(
    payments,
    cancelledOrders,
    transactions,
    clock,
    settings,
  );
  const cancelPayment = new CancelPaymentService(payments, cancelledOrders, transactions, clock);
  const processDue = new ProcessDuePaymentsService(
    payments,
    clock,
    settings,
    new ChargePaymentService(resilient, changes, schedule, settings),
    new RefundPaymentService(resilient, changes, schedule),
    new ReconcilePaymentService(resilient, changes, schedule),
  );
  // Never started: the tests drain due payments themselves; a wake only counts as a request.
  const worker = new DuePaymentsWorker(
    processDue,
    // Only enabled, batchSize and the poll interval are the worker's; the rest is the services'.
    resolvePaymentsOptions({ worker: { enabled: false, batchSize: settings.batchSize } }),
  );
  return {
    dataSource,
    transactions,
    payments,
    provider,
    simulated,
    consumer,
    openPayment,
    cancelPayment,
    processDue,
    worker,
    /** The message handlers, as the transport calls them (envelopes already validated). */
    orderEvents: new OrderEventsMessageController(consumer, openPayment, cancelPayment, worker),
    close: () => breaker.shutdown(),
  };
}

export type PaymentsReplica = ReturnType<typeof paymentsReplica>;

export const placement = (orderId = randomUUID(), customerId = randomUUID()) => ({
  orderId,
  customerId,
  amount: 2_500,
  currency: 'EUR',
  correlationId: `checkout-${orderId}`,
});

/** The `order-placed` event of a placement, as the transport hands it to the handler. */
export const placedEvent = (order: ReturnType<typeof placement>) =>
  createEnvelope(ORDER_EVENTS.placed, {
    orderId: order.orderId,
    customerId: order.customerId,
    currency: order.currency,
    total: order.amount,
    lines: [],
  });

/** Rows in the simulated provider's ledger for an order: what was really charged. */
export async function providerCharges(
  dataSource: DataSource,
  orderId: string,
): Promise<{ outcome: string; refund_id: string | null }[]> {
  return dataSource.query(
    `SELECT outcome, refund_id FROM payments.simulated_provider_charges WHERE reference = $1`,
    [orderId],
  );
}

/** Outbox events about an order, by type, in publication order. */
export async function outboxTypes(dataSource: DataSource, orderId: string): Promise<string[]> {
  const rows = await dataSource.query<{ type: string }[]>(
    `SELECT type FROM payments.outbox WHERE payload->>'orderId' = $1 ORDER BY position`,
    [orderId],
  );
  return rows.map((row) => row.type);
}

/** Runs `processDue` until a pass claims nothing. */
export async function drain(replica: PaymentsReplica): Promise<number> {
  let total = 0;
  for (;;) {
    const claimed = await replica.processDue.processDue();
    if (claimed === 0) return total;
    total += claimed;
  }
}
