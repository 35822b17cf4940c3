import { setTimeout as delay } from 'node:timers/promises';
import { PAYMENT_EVENTS } from '#lib/contracts';
import type { DataSource } from 'typeorm';
import {
  createPaymentsDataSource,
  drain,
  openReplica,
  outboxTypes,
  type PaymentsReplica,
  type PaymentsReplicaOptions,
  paymentsReplica,
  placement,
  providerCharges,
  resetPaymentsTables,
} from './payments-test-database.js';

interface PaymentRow {
  status: string;
  failure_code: string | null;
  next_attempt_at: Date | null;
  provider_refund_id: string | null;
}

/**
 * Short calls and a short charge deadline while answers are lost, so that giving up takes a second
 * or two, not 15 minutes. Once the provider answers, the usual call timeout: a busy machine must
 * not turn slow answers into lost ones.
 */
const LOSING: PaymentsReplicaOptions = { callTimeoutMs: 100, chargeDeadlineMs: 1_500 };
const ANSWERING: PaymentsReplicaOptions = { callTimeoutMs: 2_000 };

describe('reconciling charges whose answer was lost (Postgres, simulated provider)', () => {
  let dataSource: DataSource;
  let replicaDataSource: DataSource;
  const replicas: PaymentsReplica[] = [];

  beforeAll(async () => {
    dataSource = await createPaymentsDataSource('reconciliation');
    replicaDataSource = await openReplica(dataSource);
  });

  beforeEach(async () => {
    await resetPaymentsTables(dataSource);
  });

  afterEach(() => {
    for (const replica of replicas.splice(0)) replica.close();
  });

  afterAll(async () => {
    await replicaDataSource.destroy();
    await dataSource.destroy();
  });

  const replica = (on: DataSource, options: PaymentsReplicaOptions): PaymentsReplica => {
    const created = paymentsReplica(on, options);
    replicas.push(created);
    return created;
  };

  const paymentRow = async (orderId: string): Promise<PaymentRow> => {
    const [row] = await dataSource.query<PaymentRow[]>(
      `SELECT status, failure_code, next_attempt_at, provider_refund_id
         FROM payments.payments WHERE order_id = $1`,
      [orderId],
    );
    if (row === undefined) throw new Error(`no payment for order ${orderId}`);
    return row;
  };

  /**
   * Worker passes, on every given replica at once, until `done` holds. Bounded by passes, not by
   * time. One pass at a time, not `drain`: while answers are lost, work is always due again.
   */
  async function workUntil(
    workers: PaymentsReplica[],
    orderId: string,
    done: (row: PaymentRow) => boolean,
  ): Promise<PaymentRow> {
    for (let pass = 0; pass < 400; pass += 1) {
      await Promise.all(workers.map((worker) => worker.processDue.processDue()));
      const row = await paymentRow(orderId);
      if (done(row)) return row;
      await delay(50);
    }
    throw new Error(
      `payment of order ${orderId} never got there: ${JSON.stringify(await paymentRow(orderId))}`,
    );
  }

  it('refunds, once, the charge the provider took while it lost every answer until the deadline', async () => {
    const losing = replica(dataSource, { ...LOSING, provider: { timeoutRate: 1 } });
    const order = placement();
    await losing.openPayment.open(order);

    const failed = await workUntil([losing], order.orderId, (row) => row.status !== 'pending');

    expect(failed).toMatchObject({
      status: 'failed',
      failure_code: 'PAYMENTS.PROVIDER_UNAVAILABLE',
    });
    expect(failed.next_attempt_at).not.toBeNull();
    expect(await providerCharges(dataSource, order.orderId)).toEqual([
      { outcome: 'succeeded', refund_id: null },
    ]);

    // The lookups are lost too: nothing changes, and the reconciliation stays due.
    await delay(300);
    await losing.processDue.processDue();
    expect(await paymentRow(order.orderId)).toMatchObject({ status: 'failed' });
    expect((await paymentRow(order.orderId)).next_attempt_at).not.toBeNull();

    // The provider answers again; two replicas reconcile at once.
    const answering = [replica(dataSource, ANSWERING), replica(replicaDataSource, ANSWERING)];
    const refunded = await workUntil(answering, order.orderId, (row) => row.status === 'refunded');
    await delay(300);
    await Promise.all(answering.map((worker) => drain(worker)));

    const charges = await providerCharges(dataSource, order.orderId);
    expect(charges).toEqual([{ outcome: 'succeeded', refund_id: expect.any(String) }]);
    expect(refunded.provider_refund_id).toBe(charges[0]?.refund_id);
    expect(await paymentRow(order.orderId)).toMatchObject({
      status: 'refunded',
      failure_code: 'PAYMENTS.PROVIDER_UNAVAILABLE',
      next_attempt_at: null,
    });
    expect(await outboxTypes(dataSource, order.orderId)).toEqual([
      PAYMENT_EVENTS.failed,
      PAYMENT_EVENTS.refunded,
    ]);
  });

  it('leaves the payment failed, refunding nothing, when the provider never took the charge', async () => {
    const down = replica(dataSource, { ...LOSING, provider: { outageRate: 1 } });
    const order = placement();
    await down.openPayment.open(order);
    await workUntil([down], order.orderId, (row) => row.status !== 'pending');

    const answering = replica(dataSource, ANSWERING);
    const settled = await workUntil(
      [answering],
      order.orderId,
      (row) => row.next_attempt_at === null,
    );

    expect(settled).toMatchObject({ status: 'failed', provider_refund_id: null });
    expect(await providerCharges(dataSource, order.orderId)).toEqual([]);
    expect(await outboxTypes(dataSource, order.orderId)).toEqual([PAYMENT_EVENTS.failed]);
  });
});
