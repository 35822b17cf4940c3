import { randomUUID } from 'node:crypto';
import { PAYMENT_FAILURE_CODES } from './payment-failure-codes.js';
import type { PaymentStatus } from './payment-status.js';
import { InvalidPaymentAmountError, PaymentNotDueError } from './payment.errors.js';
import type { PaymentEvent } from './payment.events.js';

/** Everything persisted about a payment; the repository maps it to and from rows. */
export interface PaymentSnapshot {
  readonly id: string;
  readonly orderId: string;
  /** The order's customer, kept from order.placed: the only one besides admins who may see it. */
  readonly customerId: string;
  /** Minor units. */
  readonly amount: number;
  readonly currency: string;
  readonly status: PaymentStatus;
  /** Attempts at the work now due (the charge, later the refund), counted as they start. */
  readonly attempts: number;
  /** When the due work may next be attempted; null once nothing is due. */
  readonly nextAttemptAt: Date | null;
  /** The order was cancelled while a charge attempt may have reached the provider. */
  readonly cancelRequested: boolean;
  readonly providerChargeId: string | null;
  readonly providerRefundId: string | null;
  readonly failureCode: string | null;
  readonly failureReason: string | null;
  /** Why the last attempt did not settle the work (an outage, a timeout, an open breaker). */
  readonly lastError: string | null;
  /** Of the user action that placed the order: every event about this payment carries it. */
  readonly correlationId: string;
  /**
   * W3C trace context of the event that opened the payment: the worker's charge, long after that
   * event was handled, continues its trace, so the order's trace reaches what the charge publishes.
   */
  readonly traceparent: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly chargedAt: Date | null;
  readonly failedAt: Date | null;
  readonly cancelledAt: Date | null;
  readonly refundedAt: Date | null;
}

/**
 * Work a worker has claimed: which payment, what to do, and which attempt this is. `reconcile`
 * asks the provider whether a charge we gave up on without an answer was taken after all.
 */
export interface PaymentAttempt {
  readonly paymentId: string;
  readonly action: 'charge' | 'refund' | 'reconcile';
  /** Identifies the claim: settling an attempt that a newer one superseded changes nothing. */
  readonly attempt: number;
}

export interface OpenPaymentInput {
  readonly orderId: string;
  readonly customerId: string;
  readonly amount: number;
  readonly currency: string;
  readonly correlationId: string;
  readonly traceparent?: string;
  readonly now: Date;
}

/**
 * The payment of one order, from the charge to an eventual refund. It decides every transition,
 * including the awkward ones: a cancellation while a charge may be in flight, a charge that
 * succeeds after the payment was given up. Whatever the order of events, money taken for an order
 * that is not going ahead ends refunded.
 */
export class Payment {
  private readonly events: PaymentEvent[] = [];

  private constructor(private state: PaymentSnapshot) {}

  /** A payment for a placed order: the charge is due at once. */
  static open(input: OpenPaymentInput): Payment {
    if (!Number.isSafeInteger(input.amount) || input.amount < 0) {
      throw new InvalidPaymentAmountError(input.amount);
    }
    return new Payment({
      id: randomUUID(),
      orderId: input.orderId,
      customerId: input.customerId,
      amount: input.amount,
      currency: input.currency,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: input.now,
      cancelRequested: false,
      providerChargeId: null,
      providerRefundId: null,
      failureCode: null,
      failureReason: null,
      lastError: null,
      correlationId: input.correlationId,
      traceparent: input.traceparent ?? null,
      createdAt: input.now,
      updatedAt: input.now,
      chargedAt: null,
      failedAt: null,
      cancelledAt: null,
      refundedAt: null,
    });
  }

  /**
   * A payment for an order whose cancellation arrived before its placement (events may overtake
   * each other between services): recorded, so the placement is known, but never charged.
   */
  static openForCancelledOrder(input: OpenPaymentInput): Payment {
    const payment = Payment.open(input);
    payment.cancel(input.now);
    return payment;
  }

  static restore(snapshot: PaymentSnapshot): Payment {
    return new Payment({ ...snapshot });
  }

  get id(): string {
    return this.state.id;
  }

  get orderId(): string {
    return this.state.orderId;
  }

  get customerId(): string {
    return this.state.customerId;
  }

  get status(): PaymentStatus {
    return this.state.status;
  }

  get attempts(): number {
    return this.state.attempts;
  }

  get amount(): number {
    return this.state.amount;
  }

  get currency(): string {
    return this.state.currency;
  }

  get createdAt(): Date {
    return this.state.createdAt;
  }

  get correlationId(): string {
    return this.state.correlationId;
  }

  get traceparent(): string | null {
    return this.state.traceparent;
  }

  get providerChargeId(): string | null {
    return this.state.providerChargeId;
  }

  /** What a worker should do next for this payment, if anything. */
  get dueAction(): PaymentAttempt['action'] | null {
    switch (this.state.status) {
      case 'pending':
        return 'charge';
      case 'refund_pending':
        return 'refund';
      case 'failed':
      case 'cancelled':
        // Closed, but a charge given up without an answer is still to be looked up.
        return this.state.nextAttemptAt === null ? null : 'reconcile';
      case 'succeeded':
      case 'refunded':
        return null;
    }
  }

  /**
   * Claims the due work for one attempt. `nextAttemptAt` moves to the end of the lease, so no other
   * worker takes it meanwhile; if this worker dies, the work is due again when the lease ends.
   */
  startAttempt(now: Date, leaseMs: number): PaymentAttempt {
    const action = this.dueAction;
    if (action === null) throw new PaymentNotDueError(this.id, this.status);
    const attempt = this.state.attempts + 1;
    this.change({ attempts: attempt, nextAttemptAt: new Date(now.getTime() + leaseMs) }, now);
    return { paymentId: this.id, action, attempt };
  }

  /** The provider took the money. */
  recordCharged(providerChargeId: string, now: Date): void {
    switch (this.state.status) {
      case 'pending':
        if (this.state.cancelRequested) {
          // The order was cancelled while this charge was on its way: give the money back.
          this.dueRefund({ providerChargeId, chargedAt: now }, now);
          return;
        }
        this.change(
          {
            status: 'succeeded',
            providerChargeId,
            chargedAt: now,
            nextAttemptAt: null,
            lastError: null,
          },
          now,
        );
        this.events.push({
          kind: 'succeeded',
          paymentId: this.id,
          orderId: this.orderId,
          customerId: this.customerId,
          amount: this.amount,
          currency: this.currency,
        });
        return;
      case 'failed':
      case 'cancelled':
        // An attempt we had given up on (a timed-out call, a lease that ran out) charged after all,
        // or reconciliation found the charge whose answer was lost: the order is not going ahead.
        this.dueRefund({ providerChargeId, chargedAt: now }, now);
        return;
      case 'succeeded':
      case 'refund_pending':
      case 'refunded':
        // Already known: the provider answered a repeated key with the same charge.
        return;
    }
  }

  /** The provider refused the charge: final, never retried. */
  recordDeclined(code: string, reason: string, now: Date): void {
    if (this.state.status !== 'pending') return;
    if (this.state.cancelRequested) {
      this.cancel(now);
      return;
    }
    this.fail(code, reason, now);
  }

  /**
   * The attempt ended without an answer (outage, timeout, open breaker): try again at `retryAt`.
   * An attempt that a newer one superseded (its lease ran out) changes nothing.
   */
  recordChargeAttemptFailed(attempt: number, error: string, retryAt: Date, now: Date): void {
    if (this.state.status !== 'pending' || attempt !== this.state.attempts) return;
    this.change({ nextAttemptAt: retryAt, lastError: error }, now);
  }

  /**
   * The charge deadline passed without an answer from the provider: stop trying to charge. An
   * attempt may still have taken the money with its answer lost on the way back, so the payment
   * closes (failed, or cancelled if the order was) with a reconciliation due at `lookUpAt`: the
   * charge is looked up at the provider, with its own attempt count, until the provider answers.
   * (`lookUpAt` is a little later than now, so that a charge still being processed can be found.)
   */
  giveUpCharge(attempt: number, error: string, lookUpAt: Date, now: Date): void {
    if (this.state.status !== 'pending' || attempt !== this.state.attempts) return;
    this.state = { ...this.state, lastError: error };
    if (this.state.cancelRequested) {
      this.cancel(now);
    } else {
      this.fail(
        PAYMENT_FAILURE_CODES.PROVIDER_UNAVAILABLE,
        'The payment provider could not be reached in time',
        now,
      );
    }
    this.change({ attempts: 0, nextAttemptAt: lookUpAt }, now);
  }

  /**
   * Reconciliation learned that the provider took no money under this payment's key (no such
   * charge, or a decline): nothing is owed, and nothing is left to look up.
   */
  recordNothingCharged(attempt: number, now: Date): void {
    if (!this.isReconciling(attempt)) return;
    this.change({ nextAttemptAt: null, lastError: null }, now);
  }

  /** A lookup ended without an answer: ask again at `retryAt`; never given up, money may be owed. */
  recordReconcileAttemptFailed(attempt: number, error: string, retryAt: Date, now: Date): void {
    if (!this.isReconciling(attempt)) return;
    this.change({ nextAttemptAt: retryAt, lastError: error }, now);
  }

  /**
   * The order was cancelled. Before any charge attempt, nothing was taken: the payment is simply
   * cancelled. Once an attempt may have reached the provider, whether money was taken is only known
   * when the charge settles, so the charge carries on (same idempotency key, never a second charge)
   * and is refunded if it went through. After a successful charge, the refund is due at once.
   * Returns whether anything changed.
   */
  requestCancellation(now: Date): boolean {
    switch (this.state.status) {
      case 'pending':
        if (this.state.cancelRequested) return false;
        if (this.state.attempts === 0) this.cancel(now);
        else this.change({ cancelRequested: true }, now);
        return true;
      case 'succeeded':
        this.dueRefund({}, now);
        return true;
      case 'failed':
      case 'cancelled':
      case 'refund_pending':
      case 'refunded':
        return false;
    }
  }

  /** The provider gave the money back. */
  recordRefunded(providerRefundId: string, now: Date): void {
    if (this.state.status !== 'refund_pending') return;
    this.change(
      {
        status: 'refunded',
        providerRefundId,
        refundedAt: now,
        nextAttemptAt: null,
        lastError: null,
      },
      now,
    );
    this.events.push({
      kind: 'refunded',
      paymentId: this.id,
      orderId: this.orderId,
      customerId: this.customerId,
      amount: this.amount,
      currency: this.currency,
    });
  }

  /** A refund attempt ended without an answer. Refunds are never given up: the money is owed. */
  recordRefundAttemptFailed(attempt: number, error: string, retryAt: Date, now: Date): void {
    if (this.state.status !== 'refund_pending' || attempt !== this.state.attempts) return;
    this.change({ nextAttemptAt: retryAt, lastError: error }, now);
  }

  /** The events recorded since the last call, in order; each is handed out once. */
  pullEvents(): PaymentEvent[] {
    return this.events.splice(0, this.events.length);
  }

  toSnapshot(): PaymentSnapshot {
    return { ...this.state };
  }

  private isReconciling(attempt: number): boolean {
    return this.dueAction === 'reconcile' && attempt === this.state.attempts;
  }

  private fail(code: string, reason: string, now: Date): void {
    this.change(
      {
        status: 'failed',
        failureCode: code,
        failureReason: reason,
        failedAt: now,
        nextAttemptAt: null,
      },
      now,
    );
    this.events.push({
      kind: 'failed',
      paymentId: this.id,
      orderId: this.orderId,
      customerId: this.customerId,
      code,
      reason,
    });
  }

  private cancel(now: Date): void {
    this.change({ status: 'cancelled', cancelledAt: now, nextAttemptAt: null }, now);
  }

  /** The refund becomes the due work, with its own attempt count. */
  private dueRefund(
    charge: Partial<Pick<PaymentSnapshot, 'providerChargeId' | 'chargedAt'>>,
    now: Date,
  ): void {
    this.change(
      { ...charge, status: 'refund_pending', attempts: 0, nextAttemptAt: now, lastError: null },
      now,
    );
  }

  private change(changes: Partial<PaymentSnapshot>, now: Date): void {
    this.state = { ...this.state, ...changes, updatedAt: now };
  }
}
