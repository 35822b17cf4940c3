import type { Order } from '../domain/order.js';

/** Where a page of orders starts: after (older than) the order with this creation time and id. */
export interface OrderPosition {
  readonly createdAt: Date;
  readonly id: string;
}

/** An order awaiting stock, claimed by one stock confirmer for one try. */
export interface AwaitingStockClaim {
  readonly order: Order;
  /** Tries before this one: the confirmer's backoff grows with it. */
  readonly attempts: number;
}

/** Orders persistence port; it is also the DI token. */
export abstract class OrderRepository {
  /** Stores a new order with its lines. */
  abstract insert(order: Order): Promise<void>;

  abstract findById(id: string): Promise<Order | null>;

  /**
   * Reads the order and locks it until the surrounding transaction ends, so that two changes of
   * one order (a cancel and a payment) run one after the other and the second sees the first.
   */
  abstract findByIdForUpdate(id: string): Promise<Order | null>;

  /**
   * Writes the order's state. Throws OrderConcurrentlyModifiedError when the stored version is not
   * the one the order was read at.
   */
  abstract update(order: Order): Promise<void>;

  /**
   * Writes an order the catalog just priced (awaiting_stock → pending_payment): its state, currency,
   * total and lines, which no other change adds. Versioned like `update`.
   */
  abstract updateConfirmed(order: Order): Promise<void>;

  /**
   * Claims up to `limit` awaiting_stock orders due for a try at `now` (soonest first), each for
   * this caller until `leaseUntil`: concurrent confirmers (other replicas) skip them meanwhile,
   * and a confirmer that dies mid-way leaves them due again when the lease ends.
   */
  abstract claimAwaitingStock(
    now: Date,
    leaseUntil: Date,
    limit: number,
  ): Promise<AwaitingStockClaim[]>;

  /** The next try of an awaiting_stock order, after `until`; no effect on any other status. */
  abstract postponeConfirmation(orderId: string, until: Date): Promise<void>;

  /** When the oldest order still awaiting stock was accepted, and how many wait; for metrics. */
  abstract awaitingStockBacklog(): Promise<{ count: number; oldestCreatedAt: Date | null }>;

  /** Newest first (ties broken by id), starting after `after`; one customer's, or everyone's. */
  abstract listNewestFirst(
    filter: { readonly customerId?: string },
    after: OrderPosition | undefined,
    limit: number,
  ): Promise<Order[]>;
}
