import { randomUUID } from 'node:crypto';
import { isTransient, TimeoutError, withTimeout } from '#lib/resilience';
import type { DataSource } from 'typeorm';
import { SimulatedPaymentProvider } from '../../../libs/payments/src/clients/simulated-payment.provider.js';
import {
  IdempotencyKeyReusedError,
  UnknownChargeError,
} from '../../../libs/payments/src/clients/simulated-payment-provider.errors.js';
import {
  DEFAULT_SIMULATED_PAYMENT_PROVIDER_OPTIONS,
  type SimulatedPaymentProviderOptions,
} from '../../../libs/payments/src/clients/simulated-payment-provider.options.js';
import type { ChargeRequest } from '../../../libs/payments/src/services/ports/payment-provider.port.js';
import { createPaymentsDataSource, providerCharges } from './payments-test-database.js';

describe('SimulatedPaymentProvider (Postgres ledger)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await createPaymentsDataSource('provider');
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  const provider = (options: Partial<SimulatedPaymentProviderOptions> = {}) =>
    new SimulatedPaymentProvider(dataSource, {
      ...DEFAULT_SIMULATED_PAYMENT_PROVIDER_OPTIONS,
      latencyMs: 1,
      ...options,
    });

  const chargeRequest = (orderId = randomUUID()): ChargeRequest => ({
    idempotencyKey: `order-${orderId}-charge`,
    reference: orderId,
    customerId: randomUUID(),
    amount: 1_250,
    currency: 'EUR',
  });

  it('answers a repeated idempotency key with the first result and charges once', async () => {
    const request = chargeRequest();

    const results = await Promise.all([
      provider().charge(request),
      provider().charge(request),
      provider().charge(request),
    ]);

    expect(results[0]).toEqual({ status: 'succeeded', chargeId: expect.any(String) });
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    expect(await providerCharges(dataSource, request.reference)).toHaveLength(1);
  });

  it('declines at its decline rate and keeps answering the key with the decline', async () => {
    const request = chargeRequest();

    const first = await provider({ declineRate: 1 }).charge(request);
    const replay = await provider({ declineRate: 0 }).charge(request);

    expect(first).toEqual({
      status: 'declined',
      code: 'PAYMENTS.CARD_DECLINED',
      reason: expect.any(String),
    });
    expect(replay).toEqual(first);
  });

  it('refuses the first calls during a configured outage with a transient error, processing nothing', async () => {
    const flaky = provider({ outageFirstCalls: 2 });
    const request = chargeRequest();

    const failures = [
      await flaky.charge(request).catch((error: unknown) => error),
      await flaky.charge(request).catch((error: unknown) => error),
    ];
    expect(failures.every(isTransient)).toBe(true);
    expect(await providerCharges(dataSource, request.reference)).toEqual([]);

    expect((await flaky.charge(request)).status).toBe('succeeded');
    expect(await providerCharges(dataSource, request.reference)).toHaveLength(1);
  });

  it('processes a charge whose answer never arrives, so that the retry with the same key gets it', async () => {
    const request = chargeRequest();

    const lost = await withTimeout(
      (signal) => provider({ timeoutRate: 1 }).charge(request, { signal }),
      {
        timeoutMs: 100,
      },
    ).catch((error: unknown) => error);
    const retried = await provider().charge(request);

    expect(lost).toBeInstanceOf(TimeoutError);
    expect(retried.status).toBe('succeeded');
    expect(await providerCharges(dataSource, request.reference)).toHaveLength(1);
  });

  it('looks a charge up by its key without charging: taken, declined, or never seen', async () => {
    const taken = chargeRequest();
    const declined = chargeRequest();
    const first = await provider().charge(taken);
    await provider({ declineRate: 1 }).charge(declined);

    expect(await provider().lookUpCharge(taken.idempotencyKey)).toEqual(first);
    expect(await provider().lookUpCharge(declined.idempotencyKey)).toMatchObject({
      status: 'declined',
      code: 'PAYMENTS.CARD_DECLINED',
    });
    expect(await provider().lookUpCharge(chargeRequest().idempotencyKey)).toEqual({
      status: 'not_found',
    });
    expect(await providerCharges(dataSource, taken.reference)).toHaveLength(1);
  });

  it('takes as long as its latency and stops early when the caller aborts', async () => {
    const slow = provider({ latencyMs: 300 });
    const started = Date.now();

    const outcome = await withTimeout((signal) => slow.charge(chargeRequest(), { signal }), {
      timeoutMs: 50,
    }).catch((error: unknown) => error);

    expect(outcome).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(250);
  });

  it('refunds a charge once, answering every further refund with the first', async () => {
    const request = chargeRequest();
    const charge = await provider().charge(request);
    if (charge.status !== 'succeeded') throw new Error('expected a charge');
    const refund = {
      idempotencyKey: `order-${request.reference}-refund`,
      chargeId: charge.chargeId,
      amount: request.amount,
      currency: request.currency,
    };

    const [first, second] = await Promise.all([
      provider().refund(refund),
      provider().refund(refund),
    ]);

    expect(second).toEqual(first);
    expect(await providerCharges(dataSource, request.reference)).toEqual([
      { outcome: 'succeeded', refund_id: first?.refundId },
    ]);
  });

  it('refuses to refund a charge it never made', async () => {
    await expect(
      provider().refund({
        idempotencyKey: 'r',
        chargeId: randomUUID(),
        amount: 1,
        currency: 'EUR',
      }),
    ).rejects.toBeInstanceOf(UnknownChargeError);
  });

  it('refuses an idempotency key reused for a different amount', async () => {
    const request = chargeRequest();
    await provider().charge(request);

    await expect(provider().charge({ ...request, amount: 9_999 })).rejects.toBeInstanceOf(
      IdempotencyKeyReusedError,
    );
  });
});
