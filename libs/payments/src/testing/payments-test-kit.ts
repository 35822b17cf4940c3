import { ImmediateUnitOfWork, ManualClock, RecordingEventPublisher } from '#lib/testing';
import { CircuitBreaker, ResiliencePolicy, type Sleep } from '#lib/resilience';
import { ResilientPaymentProvider } from '../clients/resilient-payment.provider.js';
import { CancelPaymentService } from '../services/cancel-payment.service.js';
import { ChargePaymentService } from '../services/charge-payment.service.js';
import { ListOrderPaymentsService } from '../services/list-order-payments.service.js';
import { OpenPaymentService } from '../services/open-payment.service.js';
import { PaymentChangeRecorder } from '../services/payment-change.recorder.js';
import { PaymentRetrySchedule } from '../services/payment-retry.schedule.js';
import { PaymentSettings } from '../services/payment-settings.js';
import { ProcessDuePaymentsService } from '../services/process-due-payments.service.js';
import { ReconcilePaymentService } from '../services/reconcile-payment.service.js';
import { RefundPaymentService } from '../services/refund-payment.service.js';
import { InMemoryCancelledOrderRepository } from './in-memory-cancelled-order.repository.js';
import { InMemoryPaymentRepository } from './in-memory-payment.repository.js';
import { ScriptedPaymentProvider } from './scripted-payment.provider.js';

const instantSleep: Sleep = async () => {};

export interface PaymentsTestKitOptions {
  /** Tries per provider call (the resilience policy's budget). */
  readonly callAttempts?: number;
  readonly breakerResetMs?: number;
  readonly attemptTimeoutMs?: number;
}

/**
 * The payments use cases wired to in-memory fakes and the real resilience policy (breaker
 * included), the way PaymentsModule wires them to Postgres. Retry jitter is fixed at its midpoint
 * so delays are exact: a retry after attempt n is due at 0.75 * min(max, base * 2^(n-1)).
 */
export function paymentsTestKit(options: PaymentsTestKitOptions = {}) {
  const clock = new ManualClock();
  const payments = new InMemoryPaymentRepository();
  const cancelledOrders = new InMemoryCancelledOrderRepository();
  const unitOfWork = new ImmediateUnitOfWork();
  const publisher = new RecordingEventPublisher();
  const provider = new ScriptedPaymentProvider();
  const breaker = new CircuitBreaker('payment-provider', {
    errorThresholdPercentage: 50,
    volumeThreshold: 2,
    resetTimeoutMs: options.breakerResetMs ?? 50,
  });
  const policy = new ResiliencePolicy(breaker, {
    timeoutMs: options.attemptTimeoutMs ?? 50,
    retry: { maxAttempts: options.callAttempts ?? 2, baseDelayMs: 1, maxDelayMs: 1 },
    sleep: instantSleep,
  });
  const settings = new PaymentSettings(1_000, 60_000, 15 * 60_000, 30_000, 10);
  const schedule = new PaymentRetrySchedule(settings, () => 0.5);
  const resilientProvider = new ResilientPaymentProvider(provider, policy);
  const changes = new PaymentChangeRecorder(payments, unitOfWork, publisher, clock);
  const charge = new ChargePaymentService(resilientProvider, changes, schedule, settings);
  const refund = new RefundPaymentService(resilientProvider, changes, schedule);
  return {
    clock,
    payments,
    cancelledOrders,
    publisher,
    provider,
    breaker,
    settings,
    openPayment: new OpenPaymentService(payments, cancelledOrders, unitOfWork, clock, settings),
    cancelPayment: new CancelPaymentService(payments, cancelledOrders, unitOfWork, clock),
    processDue: new ProcessDuePaymentsService(
      payments,
      clock,
      settings,
      charge,
      refund,
      new ReconcilePaymentService(resilientProvider, changes, schedule),
    ),
    listOrderPayments: new ListOrderPaymentsService(payments),
    /** Stops the breaker's timers; call after each test. */
    close: () => breaker.shutdown(),
  };
}

export type PaymentsTestKit = ReturnType<typeof paymentsTestKit>;
