export {
  PAYMENT_EVENTS,
  PaymentFailedPayload,
  PaymentRefundedPayload,
  PaymentSucceededPayload,
} from './payment-events.js';
