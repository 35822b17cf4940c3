import type { OrderCancellationReason } from '#lib/contracts';
import type { OrderActor } from './order-actor.js';
import type { OrderDomainEvent } from './order-domain-events.js';
import { lineTotal, type OrderLine } from './order-line.js';
import { IllegalOrderTransitionError, InvalidOrderError } from './order.errors.js';
import type { RequestedItem } from './requested-items.js';
import {
  canTransition,
  ORDER_TRANSITIONS,
  type OrderAction,
  type OrderStatus,
} from './order-status.js';

/** Everything persisted about an order; the repository maps it to and from rows. */
export interface OrderSnapshot {
  readonly id: string;
  readonly customerId: string;
  /** Empty until the catalog priced the order (while it is `awaiting_stock`). */
  readonly lines: readonly OrderLine[];
  /** What the customer asked for, one entry per product: what the catalog is asked to reserve. */
  readonly requestedItems: readonly RequestedItem[];
  /** ISO 4217, the one currency every line is priced in; null until priced. */
  readonly currency: string | null;
  /** Minor units: the sum of the lines, fixed when the order was priced; null until then. */
  readonly total: number | null;
  readonly status: OrderStatus;
  /** Set once a payment succeeded for the order. */
  readonly paymentId: string | null;
  readonly cancellationReason: OrderCancellationReason | null;
  /** 1 when placed, +1 per change: the repository refuses to overwrite a newer version. */
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

const CURRENCY = /^[A-Z]{3}$/;

/** Stock the catalog reserved for an order, at its prices then. */
export interface PricedLines {
  readonly currency: string;
  readonly lines: readonly OrderLine[];
}

function checkedCurrency(currency: string): string {
  if (!CURRENCY.test(currency)) {
    throw new InvalidOrderError(`"${currency}" is not an ISO 4217 currency code`);
  }
  return currency;
}

function checkedLines(lines: readonly OrderLine[]): OrderLine[] {
  if (lines.length === 0) throw new InvalidOrderError('An order needs at least one line');
  const seen = new Set<string>();
  for (const line of lines) {
    if (seen.has(line.productId)) {
      throw new InvalidOrderError(`Product ${line.productId} appears on two lines`);
    }
    seen.add(line.productId);
    if (!Number.isInteger(line.quantity) || line.quantity < 1) {
      throw new InvalidOrderError(`The quantity of ${line.productId} must be a positive integer`);
    }
    if (!Number.isSafeInteger(line.unitPrice) || line.unitPrice < 0) {
      throw new InvalidOrderError(`The unit price of ${line.productId} must be whole minor units`);
    }
  }
  return lines.map((line) => ({ ...line }));
}

function totalOf(lines: readonly OrderLine[]): number {
  const total = lines.reduce((sum, line) => sum + lineTotal(line), 0);
  // Beyond 2^53 a number silently loses cents; such an order is refused, never rounded.
  if (!Number.isSafeInteger(total)) throw new InvalidOrderError('The order total is too large');
  return total;
}

/**
 * An order: what a customer bought at which prices (snapshotted from the catalog when placed), and
 * where it stands in its life, `[awaiting_stock →] pending_payment → paid → shipped` or
 * `→ cancelled`. Each change is checked against the state machine (order-status.ts) and recorded
 * as a domain event.
 */
export class Order {
  private events: OrderDomainEvent[] = [];

  private constructor(private state: OrderSnapshot) {}

  /** A new order awaiting payment; its stock must already be reserved. */
  static place(input: {
    id: string;
    customerId: string;
    currency: string;
    lines: readonly OrderLine[];
    now: Date;
  }): Order {
    const currency = checkedCurrency(input.currency);
    const lines = checkedLines(input.lines);
    const order = new Order({
      id: input.id,
      customerId: input.customerId,
      lines,
      requestedItems: lines.map(({ productId, quantity }) => ({ productId, quantity })),
      currency,
      total: totalOf(lines),
      status: 'pending_payment',
      paymentId: null,
      cancellationReason: null,
      version: 1,
      createdAt: input.now,
      updatedAt: input.now,
    });
    order.recordPlaced(currency, lines, input.now);
    return order;
  }

  /**
   * A new order the catalog could not price or reserve yet (it gave no answer): it holds what the
   * customer asked for, no prices, and waits for the stock confirmer. Nothing is announced until
   * it is confirmed: payments has nothing to charge yet.
   */
  static acceptAwaitingStock(input: {
    id: string;
    customerId: string;
    items: readonly RequestedItem[];
    now: Date;
  }): Order {
    if (input.items.length === 0) throw new InvalidOrderError('An order needs at least one item');
    return new Order({
      id: input.id,
      customerId: input.customerId,
      lines: [],
      requestedItems: input.items.map(({ productId, quantity }) => ({ productId, quantity })),
      currency: null,
      total: null,
      status: 'awaiting_stock',
      paymentId: null,
      cancellationReason: null,
      version: 1,
      createdAt: input.now,
      updatedAt: input.now,
    });
  }

  static restore(snapshot: OrderSnapshot): Order {
    return new Order({
      ...snapshot,
      lines: snapshot.lines.map((line) => ({ ...line })),
      requestedItems: snapshot.requestedItems.map((item) => ({ ...item })),
    });
  }

  get id(): string {
    return this.state.id;
  }

  get customerId(): string {
    return this.state.customerId;
  }

  get lines(): readonly OrderLine[] {
    return this.state.lines;
  }

  get requestedItems(): readonly RequestedItem[] {
    return this.state.requestedItems;
  }

  get currency(): string | null {
    return this.state.currency;
  }

  get total(): number | null {
    return this.state.total;
  }

  get status(): OrderStatus {
    return this.state.status;
  }

  get paymentId(): string | null {
    return this.state.paymentId;
  }

  get cancellationReason(): OrderCancellationReason | null {
    return this.state.cancellationReason;
  }

  get version(): number {
    return this.state.version;
  }

  get createdAt(): Date {
    return this.state.createdAt;
  }

  get updatedAt(): Date {
    return this.state.updatedAt;
  }

  /** Customers see their own orders, admins every order. */
  isVisibleTo(actor: OrderActor): boolean {
    return actor.isAdmin || actor.id === this.customerId;
  }

  /**
   * The catalog priced and reserved an order that was awaiting stock: it gets its lines and total
   * and awaits payment, announced as placed (payments charges it on that event).
   */
  confirmStock(priced: PricedLines, now: Date): void {
    if (!canTransition(this.status, 'confirm')) {
      throw new IllegalOrderTransitionError('confirm', this.status);
    }
    const currency = checkedCurrency(priced.currency);
    const lines = checkedLines(priced.lines);
    const asked = new Map(this.requestedItems.map((item) => [item.productId, item.quantity]));
    const matches =
      lines.length === asked.size &&
      lines.every((line) => asked.get(line.productId) === line.quantity);
    if (!matches) {
      throw new InvalidOrderError(
        `The priced lines of order ${this.id} are not what was asked for`,
      );
    }
    this.apply('confirm', now, { lines, currency, total: totalOf(lines) });
    this.recordPlaced(currency, lines, now);
  }

  /** The payment for this order succeeded. */
  markPaid(paymentId: string, now: Date): void {
    this.apply('pay', now, { paymentId });
    this.record({
      type: 'OrderPaid',
      orderId: this.id,
      customerId: this.customerId,
      paymentId,
      occurredAt: now,
    });
  }

  /** The order left the warehouse. Only a paid order ships. */
  ship(now: Date): void {
    this.apply('ship', now);
    this.record({
      type: 'OrderShipped',
      orderId: this.id,
      customerId: this.customerId,
      occurredAt: now,
    });
  }

  /**
   * Cancels an order that has not shipped. Its stock is to be released and, if it was paid, its
   * payment refunded: the OrderCancelled event says which.
   */
  cancel(reason: OrderCancellationReason, now: Date): void {
    this.cancelBecause(reason, now);
  }

  /**
   * The charge failed: cancels the order as `payment_failed`, and the event carries the failure in
   * the customer's words, since the cancellation is the one message they get about it.
   */
  cancelForFailedPayment(failure: string, now: Date): void {
    this.cancelBecause('payment_failed', now, failure);
  }

  /**
   * A payment succeeded after the order had been cancelled (the customer cancelled while the charge
   * was under way). The order stays cancelled; the money must go back, so the cancellation is
   * announced again, this time as paid, which makes payments refund it. Returns false, and records
   * nothing, when there is nothing to refund (not cancelled, or this payment is already known).
   */
  refundLatePayment(paymentId: string, now: Date): boolean {
    if (this.status !== 'cancelled' || this.paymentId !== null) return false;
    const reason = this.cancellationReason ?? 'cancelled_by_customer';
    this.state = { ...this.state, paymentId, version: this.version + 1, updatedAt: now };
    this.record({
      type: 'OrderCancelled',
      orderId: this.id,
      customerId: this.customerId,
      reason,
      wasPaid: true,
      paymentId,
      refundsLatePayment: true,
      occurredAt: now,
    });
    return true;
  }

  private cancelBecause(reason: OrderCancellationReason, now: Date, paymentFailure?: string): void {
    const wasPaid = this.status === 'paid';
    this.apply('cancel', now, { cancellationReason: reason });
    this.record({
      type: 'OrderCancelled',
      orderId: this.id,
      customerId: this.customerId,
      reason,
      wasPaid,
      ...(wasPaid && this.paymentId !== null && { paymentId: this.paymentId }),
      ...(paymentFailure !== undefined && { paymentFailure }),
      occurredAt: now,
    });
  }

  /** The events recorded since the last call, oldest first; the order forgets them. */
  pullEvents(): OrderDomainEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  toSnapshot(): OrderSnapshot {
    return {
      ...this.state,
      lines: this.state.lines.map((line) => ({ ...line })),
      requestedItems: this.state.requestedItems.map((item) => ({ ...item })),
    };
  }

  /** Moves along the state machine, or throws IllegalOrderTransitionError naming both ends. */
  private apply(action: OrderAction, now: Date, changes: Partial<OrderSnapshot> = {}): void {
    if (!canTransition(this.status, action)) {
      throw new IllegalOrderTransitionError(action, this.status);
    }
    const status = ORDER_TRANSITIONS[action].to;
    this.state = { ...this.state, ...changes, status, version: this.version + 1, updatedAt: now };
  }

  private recordPlaced(currency: string, lines: readonly OrderLine[], now: Date): void {
    this.record({
      type: 'OrderPlaced',
      orderId: this.id,
      customerId: this.customerId,
      currency,
      total: totalOf(lines),
      lines,
      occurredAt: now,
    });
  }

  private record(event: OrderDomainEvent): void {
    this.events.push(event);
  }
}
