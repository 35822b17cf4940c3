export {
  ORDER_CANCELLATION_REASONS,
  ORDER_EVENTS,
  type OrderCancellationReason,
  OrderCancelledPayload,
  OrderLineSnapshot,
  OrderPaidPayload,
  OrderPlacedPayload,
  OrderShippedPayload,
} from './order-events.js';
