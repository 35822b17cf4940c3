import type { RestorableStore } from '#lib/testing';
import { Order, type OrderSnapshot } from '../domain/order.js';
import { OrderConcurrentlyModifiedError } from '../domain/order.errors.js';
import { type OrderPosition, OrderRepository } from '../repositories/order.repository.js';

// Newest first, ties by id descending: the order of OrderRepository.listNewestFirst.
const newestFirst = (a: OrderPosition, b: OrderPosition): number =>
  b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** Test double of the orders port; keeps snapshots so callers cannot mutate what is "persisted". */
export class InMemoryOrderRepository extends OrderRepository implements RestorableStore {
  private readonly rows = new Map<string, OrderSnapshot>();
  /** Set by a test to make the next inserts fail, as a database outage would. */
  failInsertsWith?: Error;

  snapshot(): () => void {
    const saved = new Map(this.rows);
    return () => {
      this.rows.clear();
      for (const [id, row] of saved) this.rows.set(id, row);
    };
  }

  async insert(order: Order): Promise<void> {
    if (this.failInsertsWith) throw this.failInsertsWith;
    if (this.rows.has(order.id)) throw new Error(`duplicate order id ${order.id}`);
    this.rows.set(order.id, order.toSnapshot());
  }

  async findById(id: string): Promise<Order | null> {
    const row = this.rows.get(id);
    return row ? Order.restore(row) : null;
  }

  findByIdForUpdate(id: string): Promise<Order | null> {
    return this.findById(id);
  }

  async update(order: Order): Promise<void> {
    const row = this.rows.get(order.id);
    if (!row || row.version !== order.version - 1) {
      throw new OrderConcurrentlyModifiedError(order.id);
    }
    this.rows.set(order.id, order.toSnapshot());
  }

  async listNewestFirst(
    filter: { readonly customerId?: string },
    after: OrderPosition | undefined,
    limit: number,
  ): Promise<Order[]> {
    return [...this.rows.values()]
      .filter((row) => filter.customerId === undefined || row.customerId === filter.customerId)
      .filter((row) => after === undefined || newestFirst(after, row) < 0)
      .sort(newestFirst)
      .slice(0, limit)
      .map((row) => Order.restore(row));
  }

  /** Test helper: stores an order as it is, events and all discarded. */
  async seed(order: Order): Promise<Order> {
    order.pullEvents();
    this.rows.set(order.id, order.toSnapshot());
    return order;
  }

  count(): number {
    return this.rows.size;
  }
}
