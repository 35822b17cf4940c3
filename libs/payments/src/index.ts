export { PAYMENT_FAILURE_CODES } from './domain/payment-failure-codes.js';
export { PAYMENT_STATUSES, type PaymentStatus } from './domain/payment-status.js';
export { PAYMENTS_CONSUMERS } from './controllers/order-events.message.controller.js';
export {
  DEFAULT_SIMULATED_PAYMENT_PROVIDER_OPTIONS,
  type SimulatedPaymentProviderOptions,
} from './clients/simulated-payment-provider.options.js';
export {
  type PaymentBreakerOptions,
  PAYMENTS_OPTIONS,
  type PaymentsModuleOptions,
  type PaymentWorkerOptions,
  type ProviderCallPolicyOptions,
  type ResolvedPaymentsOptions,
  resolvePaymentsOptions,
} from './payments-options.js';
export {
  PAYMENT_PROVIDER_BREAKER,
  PaymentsModule,
  type PaymentsModuleAsyncOptions,
} from './payments.module.js';
export { PAYMENTS_PERSISTENCE } from './payments.persistence.js';
export { PaymentsConfig, paymentsConfig } from './payments.config.js';
