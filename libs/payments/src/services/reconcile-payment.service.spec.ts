import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { PAYMENT_EVENTS } from '#lib/contracts';
import type { PaymentSnapshot } from '../domain/payment.js';
import { PAYMENT_FAILURE_CODES } from '../domain/payment-failure-codes.js';
import { type PaymentsTestKit, paymentsTestKit } from '../testing/payments-test-kit.js';

describe('reconciling charges whose answer was lost', () => {
  let kit: PaymentsTestKit;
  const customerId = randomUUID();

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(() => {
    // One try per call keeps the passes whose answers are lost short (each waits for its timeout).
    kit = paymentsTestKit({ callAttempts: 1 });
  });
  afterEach(() => {
    kit.close();
  });

  async function placeOrder(): Promise<string> {
    const orderId = randomUUID();
    await kit.openPayment.open({
      orderId,
      customerId,
      amount: 3100,
      currency: 'EUR',
      correlationId: `corr-${orderId}`,
    });
    return orderId;
  }

  const paymentOf = async (orderId: string): Promise<PaymentSnapshot> => {
    const payment = await kit.payments.findByOrderId(orderId);
    if (payment === null) throw new Error(`no payment for order ${orderId}`);
    return payment.toSnapshot();
  };

  /**
   * Worker passes a minute apart (on the test clock) until `done` holds. Between passes it also
   * waits a little real time, so a breaker opened by lost answers gets to half-open again.
   */
  async function passUntil(
    orderId: string,
    done: (payment: PaymentSnapshot) => boolean,
  ): Promise<PaymentSnapshot> {
    for (let pass = 0; pass < 100; pass += 1) {
      await kit.processDue.processDue();
      const payment = await paymentOf(orderId);
      if (done(payment)) return payment;
      kit.clock.advanceMs(60_000);
      await delay(60);
    }
    throw new Error(`payment of order ${orderId} never got there`);
  }

  const givenUp = (payment: PaymentSnapshot) => payment.status !== 'pending';

  it('refunds, exactly once, a charge the provider took while every answer was lost until the deadline', async () => {
    kit.provider.otherwise('lose-answer');
    const orderId = await placeOrder();

    const failed = await passUntil(orderId, givenUp);
    expect(failed).toMatchObject({
      status: 'failed',
      failureCode: PAYMENT_FAILURE_CODES.PROVIDER_UNAVAILABLE,
    });
    expect(kit.provider.chargesMade).toBe(1);

    // While the answers are still lost, reconciliation keeps asking and changes nothing.
    kit.clock.advanceMs(60_000);
    await delay(60);
    await kit.processDue.processDue();
    expect(kit.provider.lookUpCalls).toContain(`order-${orderId}-charge`);
    expect((await paymentOf(orderId)).status).toBe('failed');
    expect(kit.provider.refundCalls).toEqual([]);

    // The provider answers again: the charge is found and refunded.
    kit.provider.otherwise('answer');
    const refunded = await passUntil(orderId, (payment) => payment.status === 'refunded');

    expect(refunded).toMatchObject({
      failureCode: PAYMENT_FAILURE_CODES.PROVIDER_UNAVAILABLE,
      nextAttemptAt: null,
    });
    expect(kit.provider.chargesMade).toBe(1);
    expect(kit.provider.refundsMade).toBe(1);
    expect(new Set(kit.provider.refundCalls.map((call) => call.idempotencyKey))).toEqual(
      new Set([`order-${orderId}-refund`]),
    );
    expect(kit.publisher.types()).toEqual([PAYMENT_EVENTS.failed, PAYMENT_EVENTS.refunded]);
    expect(kit.publisher.published[1]).toMatchObject({
      correlationId: `corr-${orderId}`,
      payload: expect.objectContaining({ orderId, customerId, amount: 3100, currency: 'EUR' }),
    });
  });

  it('records one refund when two reconciliations of the same payment both find the charge', async () => {
    kit.provider.willBehave('lose-answer').otherwise('outage');
    const orderId = await placeOrder();
    await passUntil(orderId, givenUp);
    kit.provider.otherwise('answer');
    await delay(60);

    // Two passes at once, as two workers would run them; then whatever is due after that.
    kit.clock.advanceMs(60_000);
    await Promise.all([kit.processDue.processDue(), kit.processDue.processDue()]);
    await passUntil(orderId, (payment) => payment.status === 'refunded');
    await kit.processDue.processDue();

    expect(kit.provider.lookUpCalls.length).toBeGreaterThanOrEqual(1);
    expect(kit.provider.chargesMade).toBe(1);
    expect(kit.provider.refundsMade).toBe(1);
    expect(kit.publisher.types()).toEqual([PAYMENT_EVENTS.failed, PAYMENT_EVENTS.refunded]);
  });

  it('leaves the payment failed and refunds nothing when the provider has no such charge', async () => {
    kit.provider.otherwise('outage');
    const orderId = await placeOrder();
    await passUntil(orderId, givenUp);
    kit.provider.otherwise('answer');

    const settled = await passUntil(orderId, (payment) => payment.nextAttemptAt === null);
    kit.clock.advanceMs(60 * 60_000);
    await kit.processDue.processDue();

    expect(settled).toMatchObject({
      status: 'failed',
      failureCode: PAYMENT_FAILURE_CODES.PROVIDER_UNAVAILABLE,
    });
    expect(kit.provider.lookUpCalls).toEqual([`order-${orderId}-charge`]);
    expect(kit.provider.chargesMade).toBe(0);
    expect(kit.provider.refundCalls).toEqual([]);
    expect(kit.publisher.types()).toEqual([PAYMENT_EVENTS.failed]);
  });

  it('never looks up a declined charge: a decline is an answer', async () => {
    kit.provider.willBehave('decline');
    const orderId = await placeOrder();

    await kit.processDue.processDue();
    kit.clock.advanceMs(60 * 60_000);
    await kit.processDue.processDue();

    expect((await paymentOf(orderId)).status).toBe('failed');
    expect(kit.provider.lookUpCalls).toEqual([]);
  });

  it('refunds a charge that was lost while the order was being cancelled, reporting only the refund', async () => {
    kit.provider.willBehave('lose-answer').otherwise('outage');
    const orderId = await placeOrder();
    await kit.processDue.processDue();
    expect(await kit.cancelPayment.cancel({ orderId, customerId })).toBe('settling');
    const cancelled = await passUntil(orderId, givenUp);
    expect(cancelled.status).toBe('cancelled');
    kit.provider.otherwise('answer');

    await passUntil(orderId, (payment) => payment.status === 'refunded');

    expect(kit.provider.refundsMade).toBe(1);
    expect(kit.publisher.types()).toEqual([PAYMENT_EVENTS.refunded]);
  });
});
