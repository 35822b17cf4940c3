import type { RestorableStore } from '#lib/testing';
import { Order, type OrderSnapshot } from '../domain/order.js';
import { OrderConcurrentlyModifiedError } from '../domain/order.errors.js';
import {
  type AwaitingStockClaim,
  type OrderPosition,
  OrderRepository,
} from '../repositories/order.repository.js';

interface ConfirmationSchedule {
  dueAt: Date;
  attempts: number;
}

// Newest first, ties by id descending: the order of OrderRepository.listNewestFirst.
const newestFirst = (a: OrderPosition, b: OrderPosition): number =>
  b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** Test double of the orders port; keeps snapshots so callers cannot mutate what is "persisted". */
export class InMemoryOrderRepository extends OrderRepository implements RestorableStore {
  private readonly rows = new Map<string, OrderSnapshot>();
  /** The stock confirmer's schedule of awaiting_stock orders, as the adapter keeps it per row. */
  private readonly confirmations = new Map<string, ConfirmationSchedule>();
  /** Set by a test to make the next inserts fail, as a database outage would. */
  failInsertsWith?: Error;

  snapshot(): () => void {
    const saved = new Map(this.rows);
    const schedule = new Map(this.confirmations);
    return () => {
      this.rows.clear();
      for (const [id, row] of saved) this.rows.set(id, row);
      this.confirmations.clear();
      for (const [id, due] of schedule) this.confirmations.set(id, due);
    };
  }

  async insert(order: Order): Promise<void> {
    if (this.failInsertsWith) throw this.failInsertsWith;
    if (this.rows.has(order.id)) throw new Error(`duplicate order id ${order.id}`);
    this.rows.set(order.id, order.toSnapshot());
    if (order.status === 'awaiting_stock') {
      this.confirmations.set(order.id, { dueAt: order.createdAt, attempts: 0 });
    }
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
    // Lines are fixed once priced, as the adapter writes only the state.
    this.rows.set(order.id, { ...order.toSnapshot(), lines: row.lines });
    if (order.status !== 'awaiting_stock') this.confirmations.delete(order.id);
  }

  async updateConfirmed(order: Order): Promise<void> {
    const row = this.rows.get(order.id);
    if (!row || row.version !== order.version - 1 || row.status !== 'awaiting_stock') {
      throw new OrderConcurrentlyModifiedError(order.id);
    }
    this.rows.set(order.id, order.toSnapshot());
    this.confirmations.delete(order.id);
  }

  async claimAwaitingStock(
    now: Date,
    leaseUntil: Date,
    limit: number,
  ): Promise<AwaitingStockClaim[]> {
    const due = [...this.confirmations]
      .filter(
        ([id, schedule]) => this.rows.get(id)?.status === 'awaiting_stock' && schedule.dueAt <= now,
      )
      .sort(([, a], [, b]) => a.dueAt.getTime() - b.dueAt.getTime())
      .slice(0, limit);
    return due.map(([id, schedule]) => {
      this.confirmations.set(id, { dueAt: leaseUntil, attempts: schedule.attempts + 1 });
      return {
        order: Order.restore(this.rows.get(id) as OrderSnapshot),
        attempts: schedule.attempts,
      };
    });
  }

  async postponeConfirmation(orderId: string, until: Date): Promise<void> {
    const schedule = this.confirmations.get(orderId);
    if (schedule && this.rows.get(orderId)?.status === 'awaiting_stock') {
      this.confirmations.set(orderId, { ...schedule, dueAt: until });
    }
  }

  async awaitingStockBacklog(): Promise<{ count: number; oldestCreatedAt: Date | null }> {
    const awaiting = [...this.rows.values()].filter((row) => row.status === 'awaiting_stock');
    const oldest = awaiting.reduce<Date | null>(
      (min, row) => (min === null || row.createdAt < min ? row.createdAt : min),
      null,
    );
    return { count: awaiting.length, oldestCreatedAt: oldest };
  }

  /** Test helper: when the confirmer tries this order next, if it awaits stock. */
  nextConfirmationOf(orderId: string): Date | undefined {
    return this.confirmations.get(orderId)?.dueAt;
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
