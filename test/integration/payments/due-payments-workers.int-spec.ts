import { setTimeout as sleep } from 'node:timers/promises';
import { jest } from '@jest/globals';
import { PAYMENT_EVENTS } from '#lib/contracts';
import { testTracing } from '#lib/testing';
import { register } from 'prom-client';
import type { DataSource } from 'typeorm';
import {
  DUE_PAYMENTS_METRIC,
  DuePaymentsMetrics,
  OLDEST_DUE_PAYMENT_AGE_METRIC,
} from '../../../libs/payments/src/controllers/due-payments.metrics.js';
import { DuePaymentsWorker } from '../../../libs/payments/src/controllers/due-payments.worker.js';
import { OrderEventsMessageController } from '../../../libs/payments/src/controllers/order-events.message.controller.js';
import { resolvePaymentsOptions } from '../../../libs/payments/src/payments-options.js';
import type { DuePaymentClaim } from '../../../libs/payments/src/services/process-due-payments.service.js';
import {
  createPaymentsDataSource,
  drain,
  openReplica,
  outboxTypes,
  type PaymentsReplica,
  paymentsReplica,
  placedEvent,
  placement,
  providerCharges,
  resetPaymentsTables,
} from './payments-test-database.js';

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

describe('payment workers (Postgres)', () => {
  let dataSource: DataSource;
  let replicaDataSource: DataSource;
  let first: PaymentsReplica;
  let second: PaymentsReplica;

  beforeAll(async () => {
    dataSource = await createPaymentsDataSource('workers');
    replicaDataSource = await openReplica(dataSource);
  });

  beforeEach(async () => {
    await resetPaymentsTables(dataSource);
    // Slow enough that the two workers' batches overlap in time.
    first = paymentsReplica(dataSource, { batchSize: 4, provider: { latencyMs: 25 } });
    second = paymentsReplica(replicaDataSource, { batchSize: 4, provider: { latencyMs: 25 } });
  });

  afterEach(() => {
    first.close();
    second.close();
  });

  afterAll(async () => {
    await replicaDataSource.destroy();
    await dataSource.destroy();
  });

  const statusOf = async (orderId: string): Promise<string | undefined> =>
    (
      await dataSource.query<{ status: string }[]>(
        'SELECT status FROM payments.payments WHERE order_id = $1',
        [orderId],
      )
    )[0]?.status;

  const statuses = async (): Promise<string[]> =>
    (
      await dataSource.query<{ status: string }[]>(
        'SELECT status FROM payments.payments ORDER BY created_at',
      )
    ).map((row) => row.status);

  it('has two workers share the due payments, each payment taken by one worker once', async () => {
    const orders = Array.from({ length: 24 }, () => placement());
    for (const order of orders) await first.openPayment.open(order);

    const [claimedByFirst, claimedBySecond] = await Promise.all([drain(first), drain(second)]);

    expect(claimedByFirst + claimedBySecond).toBe(24);
    expect(claimedByFirst).toBeGreaterThan(0);
    expect(claimedBySecond).toBeGreaterThan(0);
    const calls = [...first.provider.chargeCallsByKey, ...second.provider.chargeCallsByKey];
    expect(calls).toHaveLength(24);
    expect(calls.every(([, count]) => count === 1)).toBe(true);
    expect(await statuses()).toEqual(Array.from({ length: 24 }, () => 'succeeded'));
    const [{ count }] = await dataSource.query<{ count: string }[]>(
      'SELECT count(*) FROM payments.simulated_provider_charges',
    );
    expect(Number(count)).toBe(24);
  });

  it("works only its own app's payments and unowned ones: another app's stay for that app", async () => {
    const shopA = paymentsReplica(dataSource, { owner: 'shop-a' });
    const shopAReplica = paymentsReplica(replicaDataSource, { owner: 'shop-a' });
    const shopB = paymentsReplica(dataSource, { owner: 'shop-b' });
    const unowned = paymentsReplica(dataSource);
    try {
      const ofA = [placement(), placement()];
      const ofB = placement();
      const beforeOwners = placement();
      for (const order of ofA) await shopA.openPayment.open(order);
      await shopB.openPayment.open(ofB);
      await unowned.openPayment.open(beforeOwners);
      const ownerOf = async (orderId: string): Promise<string | null> =>
        (
          await dataSource.query<{ owner: string | null }[]>(
            'SELECT owner FROM payments.payments WHERE order_id = $1',
            [orderId],
          )
        )[0].owner;
      expect(await ownerOf(ofA[0].orderId)).toBe('shop-a');
      expect(await ownerOf(beforeOwners.orderId)).toBeNull();

      // A replica of shop-a takes shop-a's payments and the unowned one, never shop-b's.
      expect(await drain(shopAReplica)).toBe(3);
      for (const order of [...ofA, beforeOwners]) {
        expect(await statusOf(order.orderId)).toBe('succeeded');
      }
      expect(await statusOf(ofB.orderId)).toBe('pending');
      expect(shopAReplica.provider.chargeCallsByKey.size).toBe(3);

      expect(await drain(shopB)).toBe(1);
      expect(await statusOf(ofB.orderId)).toBe('succeeded');
      // Charging wrote the payment back: its owner stays.
      expect(await ownerOf(ofA[0].orderId)).toBe('shop-a');
      expect(await ownerOf(ofB.orderId)).toBe('shop-b');
    } finally {
      for (const replica of [shopA, shopAReplica, shopB, unowned]) replica.close();
    }
  });

  it('counts due payments of every app, and since when the oldest is due; claimed ones are not due', async () => {
    const shopA = paymentsReplica(dataSource, { owner: 'shop-a' });
    const shopB = paymentsReplica(dataSource, { owner: 'shop-b' });
    try {
      await shopA.openPayment.open(placement());
      await shopB.openPayment.open(placement());
      await shopB.openPayment.open(placement());
      const [{ oldest }] = await dataSource.query<{ oldest: Date }[]>(
        'SELECT min(next_attempt_at) AS oldest FROM payments.payments',
      );

      expect(await shopA.payments.dueBacklog(new Date())).toEqual({
        count: 3,
        oldestDueAt: oldest,
      });
      // Nothing is due yet a second before the first payment was opened.
      expect(await shopA.payments.dueBacklog(new Date(oldest.getTime() - 1_000))).toEqual({
        count: 0,
        oldestDueAt: null,
      });

      // A claim leases the payment into the future: it is no longer waiting for a worker.
      expect(await shopA.processDue.claimDue(10)).toHaveLength(1);
      expect((await shopA.payments.dueBacklog(new Date())).count).toBe(2);
    } finally {
      shopA.close();
      shopB.close();
    }
  });

  it('shows payments that no worker takes in the metrics /metrics serves, their age growing', async () => {
    const clock = { now: () => new Date() };
    const metrics = new DuePaymentsMetrics(first.payments, clock);
    metrics.onModuleInit();
    try {
      const order = placement();
      await first.openPayment.open(order);
      // No worker runs: an hour later the payment is still due.
      clock.now = () => new Date(Date.now() + 3_600_000);

      const scraped = await register.metrics();
      expect(scraped).toMatch(new RegExp(`^${DUE_PAYMENTS_METRIC} 1$`, 'm'));
      const age = Number(
        new RegExp(`^${OLDEST_DUE_PAYMENT_AGE_METRIC} (\\S+)$`, 'm').exec(scraped)?.[1],
      );
      expect(age).toBeGreaterThanOrEqual(3_600);
      expect(age).toBeLessThan(3_700);
    } finally {
      metrics.onModuleDestroy();
    }
    expect(register.getSingleMetric(DUE_PAYMENTS_METRIC)).toBeUndefined();
  });

  it("keeps the placement's traceparent with the payment: another replica's charge publishes in that trace", async () => {
    const tracing = testTracing();
    tracing.start();
    try {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const order = placement();
      await first.openPayment.open({ ...order, traceparent: `00-${traceId}-00f067aa0ba902b7-01` });

      expect(await drain(second)).toBe(1);

      const rows = await dataSource.query<{ traceparent: string | null }[]>(
        `SELECT headers->>'traceparent' AS traceparent FROM payments.outbox
          WHERE type = $1 AND payload->>'orderId' = $2`,
        [PAYMENT_EVENTS.succeeded, order.orderId],
      );
      expect(rows.map((row) => row.traceparent?.split('-')[1])).toEqual([traceId]);
    } finally {
      await tracing.shutdown();
    }
  });

  it('leaves a claimed payment to its worker until the lease ends, then lets another take it', async () => {
    const order = placement();
    await first.openPayment.open(order);
    // A worker claims the payment and dies before settling it.
    const short = paymentsReplica(dataSource, { leaseMs: 300 });
    expect(await short.processDue.claimDue(1)).toHaveLength(1);
    short.close();

    expect(await second.processDue.processDue()).toBe(0);
    await sleep(350);
    expect(await second.processDue.processDue()).toBe(1);

    expect(await statuses()).toEqual(['succeeded']);
    const [row] = await dataSource.query<{ attempts: number }[]>(
      'SELECT attempts FROM payments.payments',
    );
    expect(row?.attempts).toBe(2);
  });

  it('keeps payments pending through a provider outage and charges each once after it', async () => {
    const flaky = paymentsReplica(dataSource, { provider: { outageFirstCalls: 6, latencyMs: 1 } });
    const orders = [placement(), placement()];
    for (const order of orders) await flaky.openPayment.open(order);

    // One round, not a drain: on a busy machine a drain outlasts the retry delay (50-200 ms) and
    // claims the payments again, past the outage, within the same call.
    expect(await flaky.processDue.processDue()).toBe(2);
    expect(await statuses()).toEqual(['pending', 'pending']);

    await waitFor(async () => {
      await drain(flaky);
      return (await statuses()).every((status) => status === 'succeeded');
    });
    flaky.close();

    for (const order of orders) {
      expect(await outboxTypes(dataSource, order.orderId)).toEqual([PAYMENT_EVENTS.succeeded]);
    }
    const [{ count }] = await dataSource.query<{ count: string }[]>(
      'SELECT count(*) FROM payments.simulated_provider_charges',
    );
    expect(Number(count)).toBe(2);
  });

  it('runs as a background worker that a message wakes, and stops when asked', async () => {
    const options = resolvePaymentsOptions({ worker: { pollIntervalMs: 60_000 } });
    const worker = new DuePaymentsWorker(first.processDue, options);
    worker.start();
    try {
      const order = placement();
      await first.openPayment.open(order);
      worker.wake();

      await waitFor(async () => (await statuses())[0] === 'succeeded', 5_000);
    } finally {
      await worker.stop();
    }
    expect(worker.isRunning).toBe(false);
  });

  it("charges a payment that falls due while another's charge still waits for the provider", async () => {
    const slow = placement();
    let answerSlow: () => void = () => undefined;
    const slowAnswered = new Promise<void>((resolve) => (answerSlow = resolve));
    const replica = paymentsReplica(dataSource, {
      provider: { latencyMs: 1 },
      // The provider keeps the first order's charge until the test lets it go.
      beforeCharge: (request) =>
        request.reference === slow.orderId ? slowAnswered : Promise.resolve(),
    });
    const worker = new DuePaymentsWorker(
      replica.processDue,
      resolvePaymentsOptions({ worker: { pollIntervalMs: 60_000, batchSize: 4 } }),
    );
    worker.start();
    try {
      await replica.openPayment.open(slow);
      worker.wake();
      await waitFor(async () => replica.provider.chargeCallsByKey.size === 1, 5_000);

      const next = placement();
      await replica.openPayment.open(next);
      worker.wake();
      await waitFor(async () => (await statusOf(next.orderId)) === 'succeeded', 10_000);
      expect(await statusOf(slow.orderId)).toBe('pending');

      answerSlow();
      await waitFor(async () => (await statusOf(slow.orderId)) === 'succeeded', 10_000);
    } finally {
      answerSlow();
      await worker.stop();
      replica.close();
    }
  });

  it('keeps at most batchSize calls in flight, and fills a slot as soon as one frees', async () => {
    const held: (() => void)[] = [];
    const replica = paymentsReplica(dataSource, {
      provider: { latencyMs: 1 },
      beforeCharge: () => new Promise<void>((resolve) => held.push(resolve)),
    });
    // No poll for a minute: only a message or a freed slot can start the third charge in time.
    const worker = new DuePaymentsWorker(
      replica.processDue,
      resolvePaymentsOptions({ worker: { pollIntervalMs: 60_000, batchSize: 2 } }),
    );
    worker.start();
    try {
      for (const order of [placement(), placement(), placement()]) {
        await replica.openPayment.open(order);
      }
      worker.wake();
      await waitFor(async () => held.length === 2, 5_000);
      worker.wake();
      await sleep(200);
      expect(held).toHaveLength(2);

      held[0]();
      await waitFor(async () => held.length === 3, 10_000);
      held.forEach((answer) => answer());
      await waitFor(async () => (await statuses()).every((status) => status === 'succeeded'));
    } finally {
      held.forEach((answer) => answer());
      await worker.stop();
      replica.close();
    }
  });

  describe('placements opened claimed', () => {
    const paymentRow = async (orderId: string) =>
      (
        await dataSource.query<
          { status: string; attempts: number; created_at: Date; next_attempt_at: Date | null }[]
        >(
          'SELECT status, attempts, created_at, next_attempt_at FROM payments.payments WHERE order_id = $1',
          [orderId],
        )
      )[0];

    /** A started worker that polls once a minute, with the message handlers that feed it. */
    async function startedWorker(replica: PaymentsReplica, batchSize: number) {
      const claims = jest.spyOn(replica.processDue, 'claimDue');
      const worker = new DuePaymentsWorker(
        replica.processDue,
        resolvePaymentsOptions({ worker: { pollIntervalMs: 60_000, batchSize } }),
      );
      worker.start();
      // Its first pass claims what was due before it started (nothing): let it end.
      await waitFor(async () => claims.mock.calls.length === 1);
      await claims.mock.results[0].value;
      const handlers = new OrderEventsMessageController(
        replica.consumer,
        replica.openPayment,
        replica.cancelPayment,
        worker,
      );
      return { worker, claims, handlers };
    }

    it('charges a placement at once with a free slot, without claiming it', async () => {
      const { worker, claims, handlers } = await startedWorker(first, 2);
      try {
        const order = placement();
        await handlers.onOrderPlaced(placedEvent(order));

        await waitFor(async () => (await paymentRow(order.orderId))?.status === 'succeeded');
        expect((await paymentRow(order.orderId))?.attempts).toBe(1);
        expect(claims).toHaveBeenCalledTimes(1);
        expect(await outboxTypes(dataSource, order.orderId)).toEqual([PAYMENT_EVENTS.succeeded]);
      } finally {
        await worker.stop();
      }
    });

    it('opens a placement unclaimed while every slot is taken, and claims it when one frees', async () => {
      const held: (() => void)[] = [];
      const replica = paymentsReplica(dataSource, {
        provider: { latencyMs: 1 },
        beforeCharge: () => new Promise<void>((resolve) => held.push(resolve)),
      });
      const { worker, handlers } = await startedWorker(replica, 1);
      try {
        const [busy, waiting] = [placement(), placement()];
        await handlers.onOrderPlaced(placedEvent(busy));
        await waitFor(async () => held.length === 1);

        await handlers.onOrderPlaced(placedEvent(waiting));
        expect(await paymentRow(waiting.orderId)).toMatchObject({
          status: 'pending',
          attempts: 0,
        });

        held[0]();
        await waitFor(async () => held.length === 2);
        held[1]();
        await waitFor(async () => (await statuses()).every((status) => status === 'succeeded'));
        expect((await paymentRow(waiting.orderId))?.attempts).toBe(1);
      } finally {
        held.forEach((answer) => answer());
        await worker.stop();
        replica.close();
      }
    });

    it('leaves a payment opened claimed by a process that died to any worker once its lease ends', async () => {
      const dying = paymentsReplica(dataSource, { leaseMs: 1_500 });
      try {
        const order = placement();
        const opened = await dying.openPayment.openClaimed(order);
        expect(opened.claim?.attempt.attempt).toBe(1);
        // The process dies here, before it works the claim.

        const row = await paymentRow(order.orderId);
        expect(row?.attempts).toBe(1);
        expect(row?.next_attempt_at?.getTime()).toBe((row?.created_at.getTime() ?? 0) + 1_500);

        await waitFor(async () => (await second.processDue.processDue()) === 1);
        expect(await paymentRow(order.orderId)).toMatchObject({
          status: 'succeeded',
          attempts: 2,
        });
        expect(await providerCharges(dataSource, order.orderId)).toEqual([
          { outcome: 'succeeded', refund_id: null },
        ]);
      } finally {
        dying.close();
      }
    });

    it('starts no charge handed over once the worker is stopping: its lease brings it back', async () => {
      const { worker } = await startedWorker(first, 2);
      const slot = worker.reserveSlot();
      expect(slot).not.toBeNull();
      await worker.stop();

      const order = placement();
      const { claim } = await first.openPayment.openClaimed(order);
      slot?.work(claim as DuePaymentClaim);
      // Time enough for a charge that did start to reach the provider.
      await sleep(100);

      expect(first.provider.chargeCallsByKey.size).toBe(0);
      expect(await statusOf(order.orderId)).toBe('pending');
      expect(worker.reserveSlot()).toBeNull();
    });
  });
});
