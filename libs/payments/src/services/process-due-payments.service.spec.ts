import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { PAYMENT_EVENTS } from '#lib/contracts';
import { testTracing } from '#lib/testing';
import { type PaymentsTestKit, paymentsTestKit } from '../testing/payments-test-kit.js';

const PLACEMENT_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PLACEMENT_TRACEPARENT = `00-${PLACEMENT_TRACE_ID}-00f067aa0ba902b7-01`;

const traceIdOf = (traceparent: string | undefined): string | undefined =>
  traceparent?.split('-')[1];

describe('ProcessDuePaymentsService, traced', () => {
  const sdk = testTracing();
  let kit: PaymentsTestKit;

  beforeAll(() => {
    Logger.overrideLogger(false);
    sdk.start();
  });
  afterAll(() => sdk.shutdown());
  beforeEach(() => {
    kit = paymentsTestKit();
  });
  afterEach(() => {
    kit.close();
  });

  const open = (traceparent?: string) =>
    kit.openPayment.open({
      orderId: randomUUID(),
      customerId: randomUUID(),
      amount: 1999,
      currency: 'EUR',
      correlationId: 'corr-1',
      traceparent,
    });

  it("charges in the placement's trace: payment-succeeded carries it on, from its own span", async () => {
    await open(PLACEMENT_TRACEPARENT);

    await kit.processDue.processDue();

    const [succeeded] = kit.publisher.ofType(PAYMENT_EVENTS.succeeded);
    expect(traceIdOf(succeeded?.traceparent)).toBe(PLACEMENT_TRACE_ID);
    expect(succeeded?.traceparent).not.toBe(PLACEMENT_TRACEPARENT);
  });

  it('charges a payment opened without a traceparent in a trace of its own', async () => {
    await open();

    await kit.processDue.processDue();

    const [succeeded] = kit.publisher.ofType(PAYMENT_EVENTS.succeeded);
    expect(traceIdOf(succeeded?.traceparent)).toMatch(/^[0-9a-f]{32}$/);
    expect(traceIdOf(succeeded?.traceparent)).not.toBe(PLACEMENT_TRACE_ID);
  });
});
