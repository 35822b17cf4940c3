import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { PAYMENT_EVENTS } from '#lib/contracts';
import { PAYMENT_FAILURE_CODES } from '../domain/payment-failure-codes.js';
import { type PaymentsTestKit, paymentsTestKit } from '../testing/payments-test-kit.js';

async function waitUntil(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('charging payments', () => {
  let kit: PaymentsTestKit;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(() => {
    kit = paymentsTestKit();
  });
  afterEach(() => {
    kit.close();
  });

  async function placeOrder(amount = 4200): Promise<string> {
    const orderId = randomUUID();
    await kit.openPayment.open({
      orderId,
      customerId: randomUUID(),
      amount,
      currency: 'EUR',
      correlationId: `corr-${orderId}`,
    });
    return orderId;
  }

  const paymentOf = async (orderId: string) => {
    const payment = await kit.payments.findByOrderId(orderId);
    if (payment === null) throw new Error(`no payment for order ${orderId}`);
    return payment.toSnapshot();
  };

  it("charges a placed order's amount once, under the order's key, and publishes payment-succeeded", async () => {
    const orderId = await placeOrder(4200);

    await kit.processDue.processDue();

    expect(await paymentOf(orderId)).toMatchObject({ status: 'succeeded', amount: 4200 });
    expect(kit.provider.chargeCalls).toEqual([
      expect.objectContaining({
        idempotencyKey: `order-${orderId}-charge`,
        reference: orderId,
        amount: 4200,
        currency: 'EUR',
      }),
    ]);
    expect(kit.publisher.published).toEqual([
      expect.objectContaining({
        type: PAYMENT_EVENTS.succeeded,
        correlationId: `corr-${orderId}`,
        payload: expect.objectContaining({ orderId, amount: 4200, currency: 'EUR' }),
      }),
    ]);
  });

  it('records a decline as failed at once, without retrying it', async () => {
    kit.provider.willBehave('decline');
    const orderId = await placeOrder();

    await kit.processDue.processDue();
    kit.clock.advanceMs(10 * 60_000);
    await kit.processDue.processDue();

    expect(kit.provider.chargeCalls).toHaveLength(1);
    expect(await paymentOf(orderId)).toMatchObject({
      status: 'failed',
      failureCode: PAYMENT_FAILURE_CODES.CARD_DECLINED,
      nextAttemptAt: null,
    });
    expect(kit.publisher.published).toEqual([
      expect.objectContaining({
        type: PAYMENT_EVENTS.failed,
        payload: expect.objectContaining({ orderId, code: PAYMENT_FAILURE_CODES.CARD_DECLINED }),
      }),
    ]);
    expect(kit.breaker.state).toBe('closed');
  });

  it('retries a transient failure within the call and charges once', async () => {
    kit.provider.willBehave('outage', 'answer');
    const orderId = await placeOrder();

    await kit.processDue.processDue();

    expect(kit.provider.chargeCalls).toHaveLength(2);
    expect(kit.provider.chargesMade).toBe(1);
    expect((await paymentOf(orderId)).status).toBe('succeeded');
  });

  it('keeps the payment pending with its next attempt scheduled when a whole call gets no answer, then charges it', async () => {
    kit.provider.willBehave('outage', 'hang');
    const orderId = await placeOrder();
    const placedAt = kit.clock.now().getTime();

    await kit.processDue.processDue();

    const pending = await paymentOf(orderId);
    // Attempt 1 failed: due again after 0.75 * 1000 ms (base delay, jitter fixed at its midpoint).
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    expect(pending.nextAttemptAt).toEqual(new Date(placedAt + 750));
    expect(pending.lastError).toContain('RESILIENCE.RETRIES_EXHAUSTED');
    expect(kit.publisher.published).toEqual([]);

    kit.clock.advanceMs(749);
    await kit.processDue.processDue();
    expect(kit.provider.chargeCalls).toHaveLength(2);

    kit.clock.advanceMs(1);
    await kit.processDue.processDue();
    expect((await paymentOf(orderId)).status).toBe('succeeded');
    expect(kit.provider.chargesMade).toBe(1);
  });

  it('fails fast while the breaker is open, keeps the payment pending, and charges it once the breaker lets calls through', async () => {
    // Two calls that exhaust their tries open the breaker (volume threshold 2).
    kit.provider.willBehave('outage', 'outage', 'outage', 'outage');
    await placeOrder();
    await placeOrder();
    await kit.processDue.processDue();
    expect(kit.breaker.state).toBe('open');
    const callsBefore = kit.provider.chargeCalls.length;

    const orderId = await placeOrder();
    await kit.processDue.processDue();

    expect(kit.provider.chargeCalls).toHaveLength(callsBefore);
    const pending = await paymentOf(orderId);
    expect(pending.status).toBe('pending');
    expect(pending.lastError).toContain('RESILIENCE.CIRCUIT_OPEN');
    // Due again when the breaker half-opens (50 ms), plus jitter: 50 + 0.5 * 50.
    expect(pending.nextAttemptAt).toEqual(new Date(kit.clock.now().getTime() + 75));

    await waitUntil(() => kit.breaker.state === 'half_open');
    kit.clock.advanceMs(60_000);
    await kit.processDue.processDue();

    expect((await paymentOf(orderId)).status).toBe('succeeded');
    expect(kit.provider.chargeCalls.filter((call) => call.reference === orderId)).toHaveLength(1);
    expect(kit.breaker.state).toBe('closed');
  });

  it('times out an attempt that never answers and schedules the payment again', async () => {
    kit.provider.willBehave('hang', 'hang');
    const orderId = await placeOrder();

    await kit.processDue.processDue();

    const pending = await paymentOf(orderId);
    expect(pending.status).toBe('pending');
    expect(pending.lastError).toContain('did not complete within 50 ms');
  });

  it('gives up once the charge deadline has passed and publishes payment-failed PAYMENTS.PROVIDER_UNAVAILABLE', async () => {
    const orderId = await placeOrder();
    kit.provider.willBehave('outage', 'outage');
    kit.clock.advanceMs(kit.settings.chargeDeadlineMs);

    await kit.processDue.processDue();

    expect(await paymentOf(orderId)).toMatchObject({
      status: 'failed',
      failureCode: PAYMENT_FAILURE_CODES.PROVIDER_UNAVAILABLE,
      // The charge may have been taken with its answer lost: it is looked up one retry delay later.
      attempts: 0,
      nextAttemptAt: new Date(kit.clock.now().getTime() + 750),
    });
    expect(kit.publisher.types()).toEqual([PAYMENT_EVENTS.failed]);
  });

  it('works a batch of due payments together, each charged once', async () => {
    const orders = await Promise.all([placeOrder(100), placeOrder(200), placeOrder(300)]);

    const claimed = await kit.processDue.processDue();

    expect(claimed).toBe(3);
    expect(kit.provider.chargesMade).toBe(3);
    for (const orderId of orders) expect((await paymentOf(orderId)).status).toBe('succeeded');
    expect(await kit.processDue.processDue()).toBe(0);
  });
});
