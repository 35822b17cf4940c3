import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { PAYMENT_EVENTS } from '#lib/contracts';
import { type PaymentsTestKit, paymentsTestKit } from '../testing/payments-test-kit.js';
import type { DuePaymentClaim } from './process-due-payments.service.js';

describe('a payment from placement to refund', () => {
  let kit: PaymentsTestKit;
  const customerId = randomUUID();

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(() => {
    kit = paymentsTestKit();
  });
  afterEach(() => {
    kit.close();
  });

  const placement = (orderId: string) => ({
    orderId,
    customerId,
    amount: 1999,
    currency: 'EUR',
    correlationId: 'corr-1',
  });
  const statusOf = async (orderId: string) => (await kit.payments.findByOrderId(orderId))?.status;

  it('opens one payment however many times the placement arrives', async () => {
    const orderId = randomUUID();

    const outcomes = [
      await kit.openPayment.open(placement(orderId)),
      await kit.openPayment.open(placement(orderId)),
      await kit.openPayment.open(placement(orderId)),
    ];

    expect(outcomes).toEqual(['opened', 'already_open', 'already_open']);
    expect(kit.payments.all()).toHaveLength(1);
  });

  it('opens a payment claimed for its first charge attempt, leased as a claim would lease it', async () => {
    const orderId = randomUUID();

    const opened = await kit.openPayment.openClaimed(placement(orderId));

    expect(opened.outcome).toBe('opened');
    expect(opened.claim?.attempt).toEqual({
      paymentId: opened.claim?.payment.id,
      action: 'charge',
      attempt: 1,
    });
    const stored = (await kit.payments.findByOrderId(orderId))?.toSnapshot();
    expect(stored).toEqual(opened.claim?.payment.toSnapshot());
    expect(stored?.nextAttemptAt?.getTime()).toBe(kit.clock.now().getTime() + kit.settings.leaseMs);
    // Leased: no worker's claim takes it until the lease ends.
    expect(await kit.processDue.processDue()).toBe(0);

    await kit.processDue.work(opened.claim as DuePaymentClaim);
    expect(await statusOf(orderId)).toBe('succeeded');
    expect(kit.provider.chargeCalls).toHaveLength(1);
  });

  it('hands over no claim for a placement already open, or for an order cancelled before it', async () => {
    const open = randomUUID();
    const cancelled = randomUUID();
    await kit.openPayment.open(placement(open));
    await kit.cancelPayment.cancel({ orderId: cancelled, customerId });

    expect(await kit.openPayment.openClaimed(placement(open))).toEqual({
      outcome: 'already_open',
      claim: null,
    });
    expect(await kit.openPayment.openClaimed(placement(cancelled))).toEqual({
      outcome: 'cancelled',
      claim: null,
    });
    expect((await kit.payments.findByOrderId(open))?.attempts).toBe(0);
  });

  it('charges exactly once when the placement is delivered again after the charge', async () => {
    const orderId = randomUUID();
    await kit.openPayment.open(placement(orderId));
    await kit.processDue.processDue();

    await kit.openPayment.open(placement(orderId));
    await kit.processDue.processDue();

    expect(kit.provider.chargeCalls).toHaveLength(1);
    expect(kit.provider.chargesMade).toBe(1);
    expect(kit.publisher.types()).toEqual([PAYMENT_EVENTS.succeeded]);
  });

  it('refunds a paid order once when it is cancelled, however often the cancellation arrives', async () => {
    const orderId = randomUUID();
    await kit.openPayment.open(placement(orderId));
    await kit.processDue.processDue();

    expect(await kit.cancelPayment.cancel({ orderId, customerId })).toBe('refund_due');
    expect(await kit.cancelPayment.cancel({ orderId, customerId })).toBe('unchanged');
    await kit.processDue.processDue();
    await kit.processDue.processDue();

    expect(await statusOf(orderId)).toBe('refunded');
    expect(kit.provider.refundCalls).toEqual([
      expect.objectContaining({ idempotencyKey: `order-${orderId}-refund`, amount: 1999 }),
    ]);
    expect(kit.publisher.types()).toEqual([PAYMENT_EVENTS.succeeded, PAYMENT_EVENTS.refunded]);
  });

  it('retries a refund that got no answer until it goes through', async () => {
    const orderId = randomUUID();
    await kit.openPayment.open(placement(orderId));
    await kit.processDue.processDue();
    await kit.cancelPayment.cancel({ orderId, customerId });
    kit.provider.willBehave('outage', 'outage');

    await kit.processDue.processDue();
    expect(await statusOf(orderId)).toBe('refund_pending');

    kit.clock.advanceMs(60_000);
    await kit.processDue.processDue();
    expect(await statusOf(orderId)).toBe('refunded');
    expect(kit.provider.refundsMade).toBe(1);
  });

  it('cancels the payment without calling the provider when no charge was attempted yet', async () => {
    const orderId = randomUUID();
    await kit.openPayment.open(placement(orderId));

    expect(await kit.cancelPayment.cancel({ orderId, customerId })).toBe('cancelled');
    await kit.processDue.processDue();

    expect(await statusOf(orderId)).toBe('cancelled');
    expect(kit.provider.chargeCalls).toEqual([]);
    expect(kit.publisher.published).toEqual([]);
  });

  it('refunds a charge that was in flight when the order was cancelled, and never reports it as paid', async () => {
    const orderId = randomUUID();
    await kit.openPayment.open(placement(orderId));
    kit.provider.holdNextCall();
    const charging = kit.processDue.processDue();
    await kit.provider.whenHolding();

    expect(await kit.cancelPayment.cancel({ orderId, customerId })).toBe('settling');
    kit.provider.release();
    await charging;
    expect(await statusOf(orderId)).toBe('refund_pending');
    await kit.processDue.processDue();

    expect(await statusOf(orderId)).toBe('refunded');
    expect(kit.provider.chargesMade).toBe(1);
    expect(kit.provider.refundsMade).toBe(1);
    expect(kit.publisher.types()).toEqual([PAYMENT_EVENTS.refunded]);
  });

  it('ends cancelled, charging nothing, when an in-flight charge is declined after the cancellation', async () => {
    const orderId = randomUUID();
    await kit.openPayment.open(placement(orderId));
    kit.provider.holdNextCall().willBehave('decline');
    const charging = kit.processDue.processDue();
    await kit.provider.whenHolding();
    await kit.cancelPayment.cancel({ orderId, customerId });
    kit.provider.release();
    await charging;
    await kit.processDue.processDue();

    expect(await statusOf(orderId)).toBe('cancelled');
    expect(kit.provider.chargesMade).toBe(0);
    expect(kit.provider.refundCalls).toEqual([]);
    expect(kit.publisher.types()).toEqual([]);
  });

  it('never charges an order whose cancellation arrived before its placement', async () => {
    const orderId = randomUUID();

    expect(await kit.cancelPayment.cancel({ orderId, customerId })).toBe('remembered');
    expect(await kit.openPayment.open(placement(orderId))).toBe('cancelled');
    await kit.processDue.processDue();

    expect(await statusOf(orderId)).toBe('cancelled');
    expect(kit.provider.chargeCalls).toEqual([]);
  });

  it('does not refund a payment that failed', async () => {
    const orderId = randomUUID();
    kit.provider.willBehave('decline');
    await kit.openPayment.open(placement(orderId));
    await kit.processDue.processDue();

    expect(await kit.cancelPayment.cancel({ orderId, customerId })).toBe('unchanged');
    await kit.processDue.processDue();

    expect(await statusOf(orderId)).toBe('failed');
    expect(kit.provider.refundCalls).toEqual([]);
  });
});
