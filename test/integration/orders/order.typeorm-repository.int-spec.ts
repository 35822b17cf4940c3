import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { TransactionRunner } from '#lib/database';
import { Order } from '../../../libs/orders/src/domain/order.js';
import { OrderConcurrentlyModifiedError } from '../../../libs/orders/src/domain/order.errors.js';
import { TypeormOrderRepository } from '../../../libs/orders/src/repositories/order.typeorm-repository.js';
import { openOrdersDatabase } from './orders-database.js';

const PAYMENT = '0b4f5f0e-55a1-4f7e-8b0c-6d2f5e8a9c31';

describe('TypeormOrderRepository against PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof openOrdersDatabase>>;
  let dataSource: DataSource;
  let transactions: TransactionRunner;
  let orders: TypeormOrderRepository;

  beforeAll(async () => {
    database = await openOrdersDatabase();
    dataSource = database.dataSource;
    transactions = database.transactions;
    orders = new TypeormOrderRepository(transactions);
  });

  afterAll(() => database.close());

  const newOrder = (customerId = randomUUID(), at = new Date()): Order => {
    const order = Order.place({
      id: randomUUID(),
      customerId,
      currency: 'EUR',
      lines: [
        { productId: randomUUID(), sku: 'MUG-1', name: 'Mug', unitPrice: 1250, quantity: 2 },
        // Beyond 2^31 minor units: the bigint columns must round-trip it exactly.
        {
          productId: randomUUID(),
          sku: 'GOLD-1',
          name: 'Gold bar',
          unitPrice: 9_000_000_000,
          quantity: 1,
        },
        { productId: randomUUID(), sku: 'TEA-1', name: 'Tea', unitPrice: 399, quantity: 3 },
      ],
      now: at,
    });
    order.pullEvents();
    return order;
  };

  it('stores an order and reads it back with every field and its lines in order', async () => {
    const order = newOrder(randomUUID(), new Date('2026-05-06T07:08:09.123Z'));
    await orders.insert(order);
    expect((await orders.findById(order.id))?.toSnapshot()).toEqual(order.toSnapshot());
    expect(await orders.findById(randomUUID())).toBeNull();
    const locked = await transactions.run(() => orders.findByIdForUpdate(order.id));
    expect(locked?.toSnapshot()).toEqual(order.toSnapshot());
  });

  it('reads back an order awaiting stock: no lines, no price, the items asked for', async () => {
    const order = Order.acceptAwaitingStock({
      id: randomUUID(),
      customerId: randomUUID(),
      items: [{ productId: randomUUID(), quantity: 4 }],
      now: new Date('2026-05-06T07:08:09.456Z'),
    });
    order.pullEvents();
    await orders.insert(order);

    const read = await transactions.run(() => orders.findByIdForUpdate(order.id));
    expect(read?.toSnapshot()).toEqual(order.toSnapshot());
    expect(read?.toSnapshot()).toMatchObject({ lines: [], currency: null, total: null });
  });

  it('writes state changes and refuses to overwrite a version it did not read', async () => {
    const order = newOrder();
    await orders.insert(order);

    const first = (await orders.findById(order.id)) as Order;
    const second = (await orders.findById(order.id)) as Order;
    first.markPaid(PAYMENT, new Date());
    await orders.update(first);
    second.cancel('cancelled_by_customer', new Date());

    await expect(orders.update(second)).rejects.toBeInstanceOf(OrderConcurrentlyModifiedError);
    expect((await orders.findById(order.id))?.toSnapshot()).toEqual(first.toSnapshot());
  });

  it('serialises concurrent changes of one order: the second sees the first', async () => {
    const order = newOrder();
    await orders.insert(order);
    const seen: string[] = [];

    // Each transaction moves the order one step on from what it reads under the lock.
    const step = () =>
      transactions.run(async () => {
        const locked = (await orders.findByIdForUpdate(order.id)) as Order;
        seen.push(locked.status);
        if (locked.status === 'pending_payment') locked.markPaid(PAYMENT, new Date());
        else locked.ship(new Date());
        // Holds the lock a moment, so the other transaction has to wait for it.
        await new Promise((resolve) => setTimeout(resolve, 50));
        await orders.update(locked);
      });

    await Promise.all([step(), step()]);

    expect(seen).toEqual(['pending_payment', 'paid']);
    expect((await orders.findById(order.id))?.status).toBe('shipped');
  });

  it("lists a customer's orders newest first and pages through them by (created_at, id)", async () => {
    const customer = randomUUID();
    const base = Date.UTC(2026, 4, 1);
    const placed = [0, 1, 1, 2, 3].map((minute) =>
      newOrder(customer, new Date(base + minute * 60_000)),
    );
    for (const order of placed) await orders.insert(order);
    await orders.insert(newOrder(randomUUID(), new Date(base + 90_000)));
    const expected = [...placed]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .map((order) => order.id);

    const firstPage = await orders.listNewestFirst({ customerId: customer }, undefined, 3);
    const last = firstPage[firstPage.length - 1];
    const secondPage = await orders.listNewestFirst(
      { customerId: customer },
      { createdAt: last.createdAt, id: last.id },
      3,
    );

    expect([...firstPage, ...secondPage].map((order) => order.id)).toEqual(expected);
    expect(secondPage[0].lines).toHaveLength(3);
  });

  it('is protected by the database against states the domain cannot reach', async () => {
    const order = newOrder();
    await orders.insert(order);
    await expect(
      dataSource.query(`UPDATE orders.orders SET status = 'paid' WHERE id = $1`, [order.id]),
    ).rejects.toThrow(/orders_paid_has_payment/);
    await expect(
      dataSource.query(`UPDATE orders.orders SET status = 'cancelled' WHERE id = $1`, [order.id]),
    ).rejects.toThrow(/orders_cancellation_reason_iff_cancelled/);
    await expect(
      dataSource.query(`UPDATE orders.orders SET status = 'lost' WHERE id = $1`, [order.id]),
    ).rejects.toThrow(/orders_status_known/);
  });
});
