import type { OrderCancellationReason } from '#lib/contracts';
import type { OrderLine } from './order-line.js';

/**
 * Facts the Order aggregate records as it changes. The application layer turns them into the
 * versioned integration events of `#lib/contracts` and publishes them in the same transaction.
 */
export type OrderDomainEvent =
  | {
      readonly type: 'OrderPlaced';
      readonly orderId: string;
      readonly customerId: string;
      readonly currency: string;
      readonly total: number;
      readonly lines: readonly OrderLine[];
      readonly occurredAt: Date;
    }
  | {
      readonly type: 'OrderPaid';
      readonly orderId: string;
      readonly customerId: string;
      readonly paymentId: string;
      readonly occurredAt: Date;
    }
  | {
      readonly type: 'OrderCancelled';
      readonly orderId: string;
      readonly customerId: string;
      readonly reason: OrderCancellationReason;
      /** A payment was taken (or arrived after the cancellation): payments refunds it. */
      readonly wasPaid: boolean;
      readonly paymentId?: string;
      /** Why the charge failed (reason `payment_failed`), in words for the customer. */
      readonly paymentFailure?: string;
      /** Announced again only to have a late payment refunded (see Order#refundLatePayment). */
      readonly refundsLatePayment?: true;
      readonly occurredAt: Date;
    }
  | {
      readonly type: 'OrderShipped';
      readonly orderId: string;
      readonly customerId: string;
      readonly occurredAt: Date;
    };
