import { randomUUID } from 'node:crypto';
import { TransactionRunner } from '#lib/database';
import type { DataSource } from 'typeorm';
import { Payment } from '../../../libs/payments/src/domain/payment.js';
import { TypeormPaymentRepository } from '../../../libs/payments/src/repositories/payment.typeorm-repository.js';
import { createPaymentsDataSource, resetPaymentsTables } from './payments-test-database.js';

const OWNER = 'payments-repository-spec';

describe('TypeormPaymentRepository against PostgreSQL', () => {
  let dataSource: DataSource;
  let transactions: TransactionRunner;
  let payments: TypeormPaymentRepository;

  beforeAll(async () => {
    dataSource = await createPaymentsDataSource('repository');
    transactions = new TransactionRunner(dataSource);
    payments = new TypeormPaymentRepository(transactions, OWNER);
  });

  beforeEach(() => resetPaymentsTables(dataSource));

  afterAll(() => dataSource.destroy());

  const openPayment = async (): Promise<Payment> => {
    const payment = Payment.open({
      orderId: randomUUID(),
      customerId: randomUUID(),
      amount: 2 ** 40,
      currency: 'JPY',
      correlationId: `corr-${randomUUID()}`,
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      now: new Date('2026-03-04T05:06:07.891Z'),
    });
    expect(await payments.insert(payment)).toBe(true);
    return payment;
  };

  it('locks a payment by order and by id and reads back every field', async () => {
    const payment = await openPayment();

    const [byOrder, byId, unknown] = await transactions.run(async () => [
      await payments.lockByOrderId(payment.orderId),
      await payments.lockById(payment.id),
      await payments.lockByOrderId(randomUUID()),
    ]);

    expect(byOrder?.toSnapshot()).toEqual(payment.toSnapshot());
    expect(byId?.toSnapshot()).toEqual(payment.toSnapshot());
    expect(unknown).toBeNull();
  });

  it('inserts nothing for an order that already has its payment', async () => {
    const payment = await openPayment();
    const another = Payment.open({
      orderId: payment.orderId,
      customerId: randomUUID(),
      amount: 1,
      currency: 'EUR',
      correlationId: 'another',
      now: new Date(),
    });

    expect(await payments.insert(another)).toBe(false);

    expect((await payments.findByOrderId(payment.orderId))?.toSnapshot()).toEqual(
      payment.toSnapshot(),
    );
  });

  it('writes every field of an update and keeps the owner the insert wrote', async () => {
    const payment = await openPayment();
    const at = (iso: string) => new Date(iso);
    const changed = Payment.restore({
      ...payment.toSnapshot(),
      status: 'refund_pending',
      attempts: 3,
      nextAttemptAt: at('2026-03-05T01:02:03.004Z'),
      cancelRequested: true,
      providerChargeId: 'ch_1',
      providerRefundId: 'rf_1',
      failureCode: 'card_declined',
      failureReason: 'declined, then refunded',
      lastError: 'timeout',
      traceparent: null,
      updatedAt: at('2026-03-05T01:02:03.005Z'),
      chargedAt: at('2026-03-04T05:06:08.001Z'),
      failedAt: at('2026-03-04T05:06:09.002Z'),
      cancelledAt: at('2026-03-04T05:06:10.003Z'),
      refundedAt: null,
    });

    await transactions.run(() => payments.update(changed));

    expect((await payments.findByOrderId(payment.orderId))?.toSnapshot()).toEqual(
      changed.toSnapshot(),
    );
    const [{ owner }] = await dataSource.query<{ owner: string }[]>(
      'SELECT owner FROM payments.payments WHERE id = $1',
      [payment.id],
    );
    expect(owner).toBe(OWNER);
  });

  it('leases due payments oldest first, as startAttempt records the lease, and returns them as they were', async () => {
    const [older, newer, notDue] = [await openPayment(), await openPayment(), await openPayment()];
    const at = (iso: string) => new Date(iso);
    const dueAt = async (payment: Payment, nextAttemptAt: Date | null) =>
      payments.update(Payment.restore({ ...payment.toSnapshot(), nextAttemptAt }));
    await dueAt(older, at('2026-03-04T05:00:00.000Z'));
    await dueAt(newer, at('2026-03-04T05:30:00.000Z'));
    await dueAt(notDue, at('2026-03-04T07:00:00.000Z'));
    const now = at('2026-03-04T06:00:00.000Z');
    const leaseUntil = at('2026-03-04T06:01:00.000Z');

    const leased = await payments.leaseDue(now, 10, leaseUntil);

    expect(leased.map((payment) => payment.id)).toEqual([older.id, newer.id]);
    expect(leased[0]?.toSnapshot()).toEqual({
      ...older.toSnapshot(),
      nextAttemptAt: at('2026-03-04T05:00:00.000Z'),
    });
    for (const payment of leased) {
      payment.startAttempt(now, leaseUntil.getTime() - now.getTime());
      expect((await payments.findByOrderId(payment.orderId))?.toSnapshot()).toEqual(
        payment.toSnapshot(),
      );
    }
    expect(await payments.leaseDue(now, 10, leaseUntil)).toEqual([]);
  });

  it('leases no more than the limit and never a payment another claim holds', async () => {
    const due = [await openPayment(), await openPayment(), await openPayment()];
    const [locked] = due;
    const now = new Date('2026-03-04T06:00:00.000Z');
    const leaseUntil = new Date('2026-03-04T06:01:00.000Z');
    // A claim under way elsewhere holds one row's lock.
    const holder = new TransactionRunner(dataSource);
    const held = new TypeormPaymentRepository(holder, OWNER);

    const leased = await holder.run(async () => {
      await held.lockById(locked.id);
      return payments.leaseDue(now, 1, leaseUntil);
    });

    expect(leased).toHaveLength(1);
    expect(leased[0]?.id).not.toBe(locked.id);
    expect(due.map((payment) => payment.id)).toContain(leased[0]?.id);
    const others = new TypeormPaymentRepository(new TransactionRunner(dataSource), 'another-app');
    expect(await others.leaseDue(now, 10, leaseUntil)).toEqual([]);
  });

  it('holds the lock on the payment until its transaction ends', async () => {
    const payment = await openPayment();
    // Another worker: its own runner, so its transaction is not this test's.
    const otherTransactions = new TransactionRunner(dataSource);
    const otherWorker = new TypeormPaymentRepository(otherTransactions, OWNER);
    let otherLock: Promise<Payment | null> | undefined;

    await transactions.run(async () => {
      await payments.lockById(payment.id);
      otherLock = otherTransactions.run(() => otherWorker.lockById(payment.id));
      await waitUntilALockIsAwaited();
    });

    expect((await otherLock)?.id).toBe(payment.id);
  });

  /** Polls the server (bounded) until a backend of this database waits for a row lock. */
  async function waitUntilALockIsAwaited(): Promise<void> {
    for (let poll = 0; poll < 500; poll += 1) {
      const [{ waiting }] = await transactions.standalone.query<{ waiting: number }[]>(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (waiting > 0) return;
      await new Promise((wait) => setTimeout(wait, 20));
    }
    throw new Error('no transaction waited for the payment lock within 10 s');
  }
});
