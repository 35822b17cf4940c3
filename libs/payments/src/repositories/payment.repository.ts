import type { Payment } from '../domain/payment.js';

/** Payments persistence port; it is also the DI token. Locking methods need a unit of work. */
export abstract class PaymentRepository {
  /**
   * Locks the order until the transaction ends, whether or not it has a payment yet: a placement
   * and a cancellation of one order that arrive together are applied one after the other.
   */
  abstract lockOrder(orderId: string): Promise<void>;

  /** Locks the order (see lockOrder) and its payment, if any, and returns the payment. */
  abstract lockByOrderId(orderId: string): Promise<Payment | null>;

  /** Locks the payment until the transaction ends. */
  abstract lockById(id: string): Promise<Payment | null>;

  /**
   * Leases up to `limit` payments with work due at `now`, oldest due first, skipping the ones another
   * worker holds, so concurrent workers share the due work and never take the same payment. Each
   * gets the lease Payment.startAttempt records (one attempt more, the next attempt at `leaseUntil`,
   * updated at `now`), in one statement that needs no unit of work. Returns the payments as they
   * were before, for the caller to start that attempt on.
   */
  abstract leaseDue(now: Date, limit: number, leaseUntil: Date): Promise<Payment[]>;

  /**
   * How many payments have work due at `now` and since when the oldest is due, whichever app owns
   * them: a healthy worker keeps that age to its poll interval, a stalled or missing one lets it grow.
   */
  abstract dueBacklog(now: Date): Promise<{ count: number; oldestDueAt: Date | null }>;

  abstract findByOrderId(orderId: string): Promise<Payment | null>;

  /** Inserts a new payment; returns false, changing nothing, when the order already has one. */
  abstract insert(payment: Payment): Promise<boolean>;

  abstract update(payment: Payment): Promise<void>;
}
