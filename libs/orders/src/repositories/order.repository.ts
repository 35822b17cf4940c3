import type { Order } from '../domain/order.js';

/** Where a page of orders starts: after (older than) the order with this creation time and id. */
export interface OrderPosition {
  readonly createdAt: Date;
  readonly id: string;
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

  /** Newest first (ties broken by id), starting after `after`; one customer's, or everyone's. */
  abstract listNewestFirst(
    filter: { readonly customerId?: string },
    after: OrderPosition | undefined,
    limit: number,
  ): Promise<Order[]>;
}
