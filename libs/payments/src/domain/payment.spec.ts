import { randomUUID } from 'node:crypto';
import { Payment } from './payment.js';
import { PAYMENT_FAILURE_CODES } from './payment-failure-codes.js';
import type { PaymentStatus } from './payment-status.js';
import { InvalidPaymentAmountError, PaymentNotDueError } from './payment.errors.js';
import type { PaymentEvent } from './payment.events.js';

const T0 = new Date('2026-01-01T00:00:00.000Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
const LEASE_MS = 30_000;

function opened(): Payment {
  return Payment.open({
    orderId: randomUUID(),
    customerId: randomUUID(),
    amount: 2599,
    currency: 'EUR',
    correlationId: 'corr-1',
    now: T0,
  });
}

/** Drops the events of the steps that set a state up, so a row sees only its action's events. */
function settled(payment: Payment): Payment {
  payment.pullEvents();
  return payment;
}

type StateName =
  | 'pending, never attempted'
  | 'pending, attempted'
  | 'pending, cancellation requested mid-charge'
  | 'succeeded'
  | 'failed'
  | 'failed without an answer'
  | 'cancelled'
  | 'refund_pending'
  | 'refunded';

const STATES: Record<StateName, () => Payment> = {
  'pending, never attempted': () => opened(),
  'pending, attempted': () => {
    const payment = opened();
    payment.startAttempt(at(1), LEASE_MS);
    return payment;
  },
  'pending, cancellation requested mid-charge': () => {
    const payment = STATES['pending, attempted']();
    payment.requestCancellation(at(2));
    return payment;
  },
  succeeded: () => {
    const payment = STATES['pending, attempted']();
    payment.recordCharged('ch_1', at(2));
    return settled(payment);
  },
  failed: () => {
    const payment = STATES['pending, attempted']();
    payment.recordDeclined(PAYMENT_FAILURE_CODES.CARD_DECLINED, 'declined', at(2));
    return settled(payment);
  },
  'failed without an answer': () => {
    const payment = STATES['pending, attempted']();
    payment.giveUpCharge(payment.attempts, 'RESILIENCE.TIMEOUT', at(3), at(2));
    return settled(payment);
  },
  cancelled: () => {
    const payment = opened();
    payment.requestCancellation(at(1));
    return payment;
  },
  refund_pending: () => {
    const payment = STATES.succeeded();
    payment.requestCancellation(at(3));
    return payment;
  },
  refunded: () => {
    const payment = STATES.refund_pending();
    payment.startAttempt(at(4), LEASE_MS);
    payment.recordRefunded('re_1', at(5));
    return settled(payment);
  },
};

const ACTIONS = {
  'the charge succeeds': (payment: Payment) => payment.recordCharged('ch_late', at(10)),
  'the charge is declined': (payment: Payment) =>
    payment.recordDeclined(PAYMENT_FAILURE_CODES.CARD_DECLINED, 'declined', at(10)),
  'the charge is given up': (payment: Payment) =>
    payment.giveUpCharge(payment.attempts, 'provider down', at(11), at(10)),
  'the order is cancelled': (payment: Payment) => payment.requestCancellation(at(10)),
  'the refund succeeds': (payment: Payment) => payment.recordRefunded('re_2', at(10)),
  'reconciliation finds no charge': (payment: Payment) =>
    payment.recordNothingCharged(payment.attempts, at(10)),
} satisfies Record<string, (payment: Payment) => unknown>;

type ActionName = keyof typeof ACTIONS;

// [state, action, status afterwards, events published]
const TRANSITIONS: [StateName, ActionName, PaymentStatus, PaymentEvent['kind'][]][] = [
  ['pending, attempted', 'the charge succeeds', 'succeeded', ['succeeded']],
  ['pending, attempted', 'the charge is declined', 'failed', ['failed']],
  ['pending, attempted', 'the charge is given up', 'failed', ['failed']],
  ['pending, attempted', 'the order is cancelled', 'pending', []],
  ['pending, never attempted', 'the order is cancelled', 'cancelled', []],
  ['pending, cancellation requested mid-charge', 'the charge succeeds', 'refund_pending', []],
  ['pending, cancellation requested mid-charge', 'the charge is declined', 'cancelled', []],
  ['pending, cancellation requested mid-charge', 'the charge is given up', 'cancelled', []],
  ['pending, cancellation requested mid-charge', 'the order is cancelled', 'pending', []],
  ['succeeded', 'the charge succeeds', 'succeeded', []],
  ['succeeded', 'the charge is declined', 'succeeded', []],
  ['succeeded', 'the order is cancelled', 'refund_pending', []],
  ['failed', 'the charge succeeds', 'refund_pending', []],
  ['failed', 'the order is cancelled', 'failed', []],
  ['failed', 'reconciliation finds no charge', 'failed', []],
  ['failed without an answer', 'the charge succeeds', 'refund_pending', []],
  ['failed without an answer', 'reconciliation finds no charge', 'failed', []],
  ['failed without an answer', 'the order is cancelled', 'failed', []],
  ['refund_pending', 'reconciliation finds no charge', 'refund_pending', []],
  ['cancelled', 'the order is cancelled', 'cancelled', []],
  ['cancelled', 'the charge is declined', 'cancelled', []],
  ['refund_pending', 'the refund succeeds', 'refunded', ['refunded']],
  ['refund_pending', 'the order is cancelled', 'refund_pending', []],
  ['refund_pending', 'the charge succeeds', 'refund_pending', []],
  ['refunded', 'the refund succeeds', 'refunded', []],
  ['refunded', 'the order is cancelled', 'refunded', []],
  ['refunded', 'the charge succeeds', 'refunded', []],
  ['pending, attempted', 'the refund succeeds', 'pending', []],
];

describe('Payment', () => {
  describe.each(TRANSITIONS)('when %s and %s', (state, action, status, events) => {
    it(`is ${status} and publishes [${events.join(', ')}]`, () => {
      const payment = STATES[state]();
      payment.pullEvents();

      ACTIONS[action](payment);

      expect(payment.status).toBe(status);
      expect(payment.pullEvents().map((event) => event.kind)).toEqual(events);
    });
  });

  it('opens with the charge due at once and nothing attempted', () => {
    const payment = opened();

    expect(payment.toSnapshot()).toMatchObject({
      status: 'pending',
      attempts: 0,
      nextAttemptAt: T0,
      cancelRequested: false,
    });
    expect(payment.dueAction).toBe('charge');
  });

  it.each([-1, 10.5, Number.NaN])('refuses an amount of %p minor units', (amount) => {
    expect(() =>
      Payment.open({
        orderId: randomUUID(),
        customerId: randomUUID(),
        amount,
        currency: 'EUR',
        correlationId: 'c',
        now: T0,
      }),
    ).toThrow(InvalidPaymentAmountError);
  });

  it('counts an attempt when it starts and keeps other workers off until its lease ends', () => {
    const payment = opened();

    const first = payment.startAttempt(at(1), LEASE_MS);
    const second = payment.startAttempt(at(40), LEASE_MS);

    expect(first).toEqual({ paymentId: payment.id, action: 'charge', attempt: 1 });
    expect(second.attempt).toBe(2);
    expect(payment.toSnapshot().nextAttemptAt).toEqual(new Date(at(40).getTime() + LEASE_MS));
  });

  it('refuses to start an attempt when nothing is due, naming the state', () => {
    const payment = STATES.succeeded();

    expect(() => payment.startAttempt(at(9), LEASE_MS)).toThrow(PaymentNotDueError);
    expect(() => payment.startAttempt(at(9), LEASE_MS)).toThrow(/succeeded/);
  });

  it('schedules the next charge attempt after an attempt without an answer, keeping the reason', () => {
    const payment = opened();
    const { attempt } = payment.startAttempt(at(1), LEASE_MS);

    payment.recordChargeAttemptFailed(attempt, 'RESILIENCE.TIMEOUT: too slow', at(5), at(2));

    expect(payment.toSnapshot()).toMatchObject({
      status: 'pending',
      nextAttemptAt: at(5),
      lastError: 'RESILIENCE.TIMEOUT: too slow',
    });
    expect(payment.pullEvents()).toEqual([]);
  });

  it('ignores the outcome of an attempt that a newer attempt superseded', () => {
    const payment = opened();
    const stale = payment.startAttempt(at(1), LEASE_MS);
    payment.startAttempt(at(40), LEASE_MS);

    payment.recordChargeAttemptFailed(stale.attempt, 'late timeout', at(41), at(41));
    payment.giveUpCharge(stale.attempt, 'late timeout', at(42), at(41));

    expect(payment.status).toBe('pending');
    expect(payment.toSnapshot().nextAttemptAt).toEqual(new Date(at(40).getTime() + LEASE_MS));
  });

  it('publishes the charge with amount, currency and customer when it succeeds', () => {
    const payment = STATES['pending, attempted']();

    payment.recordCharged('ch_9', at(3));

    expect(payment.pullEvents()).toEqual([
      {
        kind: 'succeeded',
        paymentId: payment.id,
        orderId: payment.orderId,
        customerId: payment.customerId,
        amount: 2599,
        currency: 'EUR',
      },
    ]);
    expect(payment.toSnapshot()).toMatchObject({
      providerChargeId: 'ch_9',
      chargedAt: at(3),
      nextAttemptAt: null,
    });
  });

  it('publishes the failure code and reason when the charge fails for good', () => {
    const payment = STATES['pending, attempted']();

    payment.giveUpCharge(payment.attempts, 'RESILIENCE.CIRCUIT_OPEN', at(4), at(3));

    expect(payment.pullEvents()).toEqual([
      expect.objectContaining({
        kind: 'failed',
        code: PAYMENT_FAILURE_CODES.PROVIDER_UNAVAILABLE,
      }),
    ]);
    expect(payment.toSnapshot()).toMatchObject({
      failureCode: PAYMENT_FAILURE_CODES.PROVIDER_UNAVAILABLE,
      lastError: 'RESILIENCE.CIRCUIT_OPEN',
      failedAt: at(3),
    });
  });

  it('makes the refund due at once, with its own attempt count, when a paid order is cancelled', () => {
    const payment = STATES.succeeded();

    payment.requestCancellation(at(7));

    expect(payment.dueAction).toBe('refund');
    expect(payment.toSnapshot()).toMatchObject({ attempts: 0, nextAttemptAt: at(7) });
    expect(payment.startAttempt(at(8), LEASE_MS).action).toBe('refund');
  });

  it('keeps the late charge id so that the money taken after a decline can be refunded', () => {
    const payment = STATES.failed();

    payment.recordCharged('ch_late', at(9));

    expect(payment.toSnapshot()).toMatchObject({
      status: 'refund_pending',
      providerChargeId: 'ch_late',
    });
  });

  it('never gives up a refund: a failed refund attempt only reschedules it', () => {
    const payment = STATES.refund_pending();
    const { attempt } = payment.startAttempt(at(4), LEASE_MS);

    payment.recordRefundAttemptFailed(attempt, 'provider down', at(60), at(5));

    expect(payment.toSnapshot()).toMatchObject({
      status: 'refund_pending',
      nextAttemptAt: at(60),
    });
  });

  it('makes the lookup of a charge given up without an answer due when asked, with its own attempt count', () => {
    const payment = STATES['failed without an answer']();

    expect(payment.dueAction).toBe('reconcile');
    expect(payment.toSnapshot()).toMatchObject({ attempts: 0, nextAttemptAt: at(3) });
    expect(payment.startAttempt(at(3), LEASE_MS)).toEqual({
      paymentId: payment.id,
      action: 'reconcile',
      attempt: 1,
    });
  });

  it('has nothing to look up after a decline: a decline is an answer', () => {
    expect(STATES.failed().dueAction).toBeNull();
  });

  it('keeps looking a charge up while the provider does not answer, then closes when it took nothing', () => {
    const payment = STATES['failed without an answer']();
    const first = payment.startAttempt(at(3), LEASE_MS);

    payment.recordReconcileAttemptFailed(first.attempt, 'RESILIENCE.TIMEOUT', at(60), at(4));
    expect(payment.toSnapshot()).toMatchObject({
      nextAttemptAt: at(60),
      lastError: 'RESILIENCE.TIMEOUT',
    });

    const second = payment.startAttempt(at(60), LEASE_MS);
    payment.recordNothingCharged(first.attempt, at(61));
    expect(payment.dueAction).toBe('reconcile');

    payment.recordNothingCharged(second.attempt, at(61));
    expect(payment.toSnapshot()).toMatchObject({ status: 'failed', nextAttemptAt: null });
    expect(payment.dueAction).toBeNull();
    expect(payment.pullEvents()).toEqual([]);
  });

  it('refunds once a charge that reconciliation finds, however often it is found', () => {
    const payment = STATES['failed without an answer']();

    payment.recordCharged('ch_lost', at(5));
    payment.recordCharged('ch_lost', at(6));

    expect(payment.toSnapshot()).toMatchObject({
      status: 'refund_pending',
      providerChargeId: 'ch_lost',
      attempts: 0,
      nextAttemptAt: at(5),
    });
    expect(payment.dueAction).toBe('refund');
  });

  it('opens a payment for an order cancelled before its placement arrived as cancelled, with nothing due', () => {
    const payment = Payment.openForCancelledOrder({
      orderId: randomUUID(),
      customerId: randomUUID(),
      amount: 100,
      currency: 'EUR',
      correlationId: 'c',
      now: T0,
    });

    expect(payment.status).toBe('cancelled');
    expect(payment.dueAction).toBeNull();
    expect(payment.pullEvents()).toEqual([]);
  });

  it('hands each event out once', () => {
    const payment = STATES['pending, attempted']();
    payment.recordCharged('ch_1', at(2));

    expect(payment.pullEvents()).toHaveLength(1);
    expect(payment.pullEvents()).toEqual([]);
  });
});
