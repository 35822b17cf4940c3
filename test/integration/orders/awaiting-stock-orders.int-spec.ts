import { randomUUID } from 'node:crypto';
import type { TransactionRunner } from '#lib/database';
import { Order } from '../../../libs/orders/src/domain/order.js';
import { OrderConcurrentlyModifiedError } from '../../../libs/orders/src/domain/order.errors.js';
import { TypeormOrderRepository } from '../../../libs/orders/src/repositories/order.typeorm-repository.js';
import { openOrdersDatabase } from './orders-database.js';

// Orders accepted while the catalog could not be reached (ADR 0044), against the real schema.
// Other suites share this database: this file's orders are all created before 1999 and claimed
// with a `now` before 1999, so it only ever sees its own, and deletes them after each test.

const MUG = { productId: randomUUID(), sku: 'MUG-1', name: 'Mug', unitPrice: 1250, quantity: 2 };

describe('orders awaiting stock in PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof openOrdersDatabase>>;
  let transactions: TransactionRunner;
  let orders: TypeormOrderRepository;

  beforeAll(async () => {
    database = await openOrdersDatabase();
    transactions = database.transactions;
    orders = new TypeormOrderRepository(transactions);
    await forgetOwnOrders();
  });

  // What this file left (the database outlives a run): the next test claims from a clean slate.
  afterEach(() => forgetOwnOrders());
  afterAll(() => database.close());

  async function forgetOwnOrders(): Promise<void> {
    await database.dataSource.query(
      `DELETE FROM orders.orders WHERE created_at < '1999-01-01T00:00:00Z'`,
    );
  }

  const at = (year: number, seconds = 0): Date => new Date(Date.UTC(year, 0, 1, 0, 0, seconds));

  async function awaiting(createdAt: Date): Promise<Order> {
    const order = Order.acceptAwaitingStock({
      id: randomUUID(),
      customerId: randomUUID(),
      items: [{ productId: MUG.productId, quantity: 2 }],
      now: createdAt,
    });
    await orders.insert(order);
    return order;
  }

  it('stores an order awaiting stock without prices, and its confirmation with its lines', async () => {
    const order = await awaiting(at(1991));
    expect((await orders.findById(order.id))?.toSnapshot()).toEqual(order.toSnapshot());
    const row = await database.dataSource.query(
      'SELECT currency, total, requested_items FROM orders.orders WHERE id = $1',
      [order.id],
    );
    expect(row).toEqual([
      {
        currency: null,
        total: null,
        requested_items: [{ productId: MUG.productId, quantity: 2 }],
      },
    ]);

    const confirmed = (await orders.findById(order.id)) as Order;
    confirmed.confirmStock({ currency: 'EUR', lines: [MUG] }, at(1991, 5));
    await orders.updateConfirmed(confirmed);

    expect((await orders.findById(order.id))?.toSnapshot()).toEqual(confirmed.toSnapshot());
    expect((await orders.findById(order.id))?.toSnapshot()).toMatchObject({
      status: 'pending_payment',
      currency: 'EUR',
      total: 2500,
      lines: [MUG],
    });
    // No longer awaiting: never claimed again.
    await expect(orders.claimAwaitingStock(at(1991, 59), at(1992), 10)).resolves.toEqual([]);
  });

  it('refuses to confirm an order that was cancelled meanwhile (read at an older version)', async () => {
    const order = await awaiting(at(1992));
    const confirming = (await orders.findById(order.id)) as Order;
    const cancelling = (await orders.findById(order.id)) as Order;
    cancelling.cancel('cancelled_by_customer', at(1992, 1));
    await orders.update(cancelling);

    confirming.confirmStock({ currency: 'EUR', lines: [MUG] }, at(1992, 2));
    await expect(orders.updateConfirmed(confirming)).rejects.toBeInstanceOf(
      OrderConcurrentlyModifiedError,
    );
    const stored = (await orders.findById(order.id))?.toSnapshot();
    expect(stored).toMatchObject({ status: 'cancelled', currency: null, lines: [] });
  });

  it('claims due orders soonest first, a bounded batch, each leased until it is postponed or due again', async () => {
    const first = await awaiting(at(1993, 1));
    const second = await awaiting(at(1993, 2));
    const third = await awaiting(at(1993, 3));
    const now = at(1993, 10);
    const leaseEnd = at(1993, 40);

    const claimed = await orders.claimAwaitingStock(now, leaseEnd, 2);
    expect(claimed.map(({ order, attempts }) => [order.id, attempts])).toEqual([
      [first.id, 0],
      [second.id, 0],
    ]);
    expect(claimed[0].order.toSnapshot()).toEqual(first.toSnapshot());
    // Leased: the next claim gets the rest only.
    const rest = await orders.claimAwaitingStock(now, leaseEnd, 10);
    expect(rest.map(({ order }) => order.id)).toEqual([third.id]);
    await expect(orders.claimAwaitingStock(at(1993, 39), leaseEnd, 10)).resolves.toEqual([]);

    // Postponed to a moment: due at it, with its tries counted.
    await orders.postponeConfirmation(first.id, at(1993, 20));
    const again = await orders.claimAwaitingStock(at(1993, 20), at(1993, 50), 10);
    expect(again.map(({ order, attempts }) => [order.id, attempts])).toEqual([[first.id, 1]]);
    // A lease that ran out (its confirmer died) makes the others due again.
    const afterLease = await orders.claimAwaitingStock(leaseEnd, at(1993, 59), 10);
    expect(afterLease.map(({ order }) => order.id).sort()).toEqual([second.id, third.id].sort());
  });

  it('gives concurrent confirmers disjoint batches', async () => {
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, index) => awaiting(at(1994, index))),
    );
    const now = at(1994, 30);
    const batches = await Promise.all(
      [1, 2, 3].map(() => orders.claimAwaitingStock(now, at(1995), 5)),
    );
    const ids = batches.flat().map(({ order }) => order.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(created.map((order) => order.id).sort());
  });

  it("claims only its own app's awaiting orders and unowned ones: another app's wait for that app", async () => {
    const shopA = new TypeormOrderRepository(transactions, 'shop-a');
    const shopB = new TypeormOrderRepository(transactions, 'shop-b');
    const place = async (repository: TypeormOrderRepository, second: number): Promise<string> => {
      const order = Order.acceptAwaitingStock({
        id: randomUUID(),
        customerId: randomUUID(),
        items: [{ productId: MUG.productId, quantity: 1 }],
        now: at(1997, second),
      });
      await repository.insert(order);
      return order.id;
    };
    const ofA = await place(shopA, 1);
    const ofB = await place(shopB, 2);
    const beforeOwners = await place(orders, 3);
    const [row] = await database.dataSource.query<{ owner: string | null }[]>(
      'SELECT owner FROM orders.orders WHERE id = $1',
      [ofA],
    );
    expect(row?.owner).toBe('shop-a');

    const claimedByA = await shopA.claimAwaitingStock(at(1997, 10), at(1997, 40), 10);
    expect(claimedByA.map(({ order }) => order.id)).toEqual([ofA, beforeOwners]);
    const claimedByB = await shopB.claimAwaitingStock(at(1997, 10), at(1997, 40), 10);
    expect(claimedByB.map(({ order }) => order.id)).toEqual([ofB]);
  });

  it('does not postpone an order that is no longer awaiting', async () => {
    const order = await awaiting(at(1996));
    const cancelled = (await orders.findById(order.id)) as Order;
    cancelled.cancel('out_of_stock', at(1996, 1));
    await orders.update(cancelled);
    await orders.postponeConfirmation(order.id, at(1996, 5));
    const [row] = await database.dataSource.query(
      'SELECT status, cancellation_reason, next_confirmation_at FROM orders.orders WHERE id = $1',
      [order.id],
    );
    expect(row).toEqual({
      status: 'cancelled',
      cancellation_reason: 'out_of_stock',
      next_confirmation_at: null,
    });
  });

  it('reports how many orders await stock and since when the oldest does', async () => {
    const oldest = await awaiting(at(1970, 1));
    const backlog = await orders.awaitingStockBacklog();
    expect(backlog.count).toBeGreaterThanOrEqual(1);
    expect(backlog.oldestCreatedAt).toEqual(oldest.createdAt);
  });

  it('refuses, in the table itself, an awaiting order with a price or a priced order without one', async () => {
    const insert = (status: string, currency: string | null, total: number | null) =>
      database.dataSource.query(
        `INSERT INTO orders.orders (id, customer_id, status, currency, total, requested_items,
                                    next_confirmation_at, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, '[]', now(), 1, now(), now())`,
        [randomUUID(), randomUUID(), status, currency, total],
      );
    await expect(insert('awaiting_stock', 'EUR', 100)).rejects.toThrow(
      /orders_awaiting_not_priced/,
    );
    await expect(insert('pending_payment', null, null)).rejects.toThrow(
      /orders_priced_unless_awaiting/,
    );
    await expect(insert('awaiting_stock', null, 100)).rejects.toThrow(/orders_priced_together/);
  });
});
