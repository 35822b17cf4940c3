import { randomUUID } from 'node:crypto';
import { TransactionRunner } from '#lib/database';
import type { DataSource } from 'typeorm';
import { TypeormCancelledOrderRepository } from '../../../libs/payments/src/repositories/cancelled-order.typeorm-repository.js';
import { createPaymentsDataSource, resetPaymentsTables } from './payments-test-database.js';

describe('TypeormCancelledOrderRepository against PostgreSQL', () => {
  let dataSource: DataSource;
  let transactions: TransactionRunner;
  let cancelledOrders: TypeormCancelledOrderRepository;

  beforeAll(async () => {
    dataSource = await createPaymentsDataSource('cancelled_orders');
    transactions = new TransactionRunner(dataSource);
    cancelledOrders = new TypeormCancelledOrderRepository(transactions);
  });

  beforeEach(() => resetPaymentsTables(dataSource));

  afterAll(() => dataSource.destroy());

  it('knows an order it was told was cancelled, once however often it is told', async () => {
    const orderId = randomUUID();
    await cancelledOrders.remember(orderId, randomUUID(), new Date());
    await cancelledOrders.remember(orderId, randomUUID(), new Date());

    expect(await cancelledOrders.isCancelled(orderId)).toBe(true);
    expect(await cancelledOrders.isCancelled(randomUUID())).toBe(false);
    const [{ count }] = await dataSource.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM payments.cancelled_orders WHERE order_id = $1',
      [orderId],
    );
    expect(count).toBe(1);
  });

  it("answers within the caller's transaction: its uncommitted cancellation inside, nothing outside", async () => {
    const orderId = randomUUID();
    let insideAnswer: boolean | undefined;
    let outsideAnswer: boolean | undefined;
    const outside = new TypeormCancelledOrderRepository(new TransactionRunner(dataSource));

    await expect(
      transactions.run(async () => {
        await cancelledOrders.remember(orderId, randomUUID(), new Date());
        insideAnswer = await cancelledOrders.isCancelled(orderId);
        outsideAnswer = await outside.isCancelled(orderId);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');

    expect(insideAnswer).toBe(true);
    expect(outsideAnswer).toBe(false);
    expect(await cancelledOrders.isCancelled(orderId)).toBe(false);
  });
});
