import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ORDER_EVENTS,
  type OrderCancelledPayload,
  PAYMENT_EVENTS,
  type PaymentFailedPayload,
} from '#lib/contracts';
import { createEnvelope } from '#lib/messaging';
import type { Gauge } from 'prom-client';
import { TEST_REDIS_URL } from '../../support/test-environment.js';
import { NOTIFICATION_QUEUE_JOBS_METRIC } from '../../../libs/notifications/src/clients/notification-queue.metrics.js';
import { NotificationQueue } from '../../../libs/notifications/src/services/ports/notification-queue.port.js';
import { FakeMailer } from '../../../libs/notifications/src/testing/fake.mailer.js';
import {
  type NotificationsTestApp,
  orderPaid,
  startNotificationsTestApp,
  waitFor,
} from './notifications-test-app.js';
import { TcpProxy } from './tcp-proxy.js';

const jobIdOf = (eventId: string): string => `${eventId}:order-paid`;

describe('notification delivery with Bull on Redis and PostgreSQL', () => {
  let running: NotificationsTestApp | undefined;

  const start = async (
    ...args: Parameters<typeof startNotificationsTestApp>
  ): Promise<NotificationsTestApp> => {
    running = await startNotificationsTestApp(...args);
    return running;
  };

  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('retries a failing delivery with exponential backoff until it succeeds, and marks it sent', async () => {
    const backoffMs = 200;
    const { client, mailer, queue, notificationsOfEvent } = await start(
      { jobAttempts: 3, jobBackoffMs: backoffMs },
      new FakeMailer(2),
    );
    const event = orderPaid();

    await client.emit(event);
    await waitFor(async () => (await notificationsOfEvent(event.id))[0]?.status === 'sent');

    expect(mailer.attempts).toBe(3);
    const [first, second, third] = mailer.attemptedAt as [number, number, number];
    // Exponential: the second wait is twice the first (a fixed backoff would wait 200 ms twice).
    expect(second - first).toBeGreaterThanOrEqual(backoffMs * 0.9);
    expect(third - second).toBeGreaterThanOrEqual(2 * backoffMs * 0.9);
    const [notification] = await notificationsOfEvent(event.id);
    expect(notification).toMatchObject({ status: 'sent', attempts: 3 });
    expect(notification?.sent_at).toBeInstanceOf(Date);
    expect(mailer.delivered.map((mail) => mail.messageId)).toEqual([notification?.id]);
    await waitFor(async () => (await queue.getJob(jobIdOf(event.id)))?.finishedOn !== undefined);
    expect(await queue.getJobCounts()).toMatchObject({ failed: 0, completed: 1 });
  });

  it('tells the customer about a declined payment once: in the cancellation, with the reason', async () => {
    const { client, dataSource } = await start();
    const [orderId, customerId] = [randomUUID(), randomUUID()];
    const failure = 'the card was declined';

    await client.emit(
      createEnvelope<PaymentFailedPayload>(PAYMENT_EVENTS.failed, {
        orderId,
        customerId,
        code: 'PAYMENTS.CARD_DECLINED',
        reason: failure,
      }),
    );
    await client.emit(
      createEnvelope<OrderCancelledPayload>(ORDER_EVENTS.cancelled, {
        orderId,
        customerId,
        reason: 'payment_failed',
        wasPaid: false,
        paymentFailure: failure,
      }),
    );

    const notificationsOfCustomer = () =>
      dataSource.query<{ template: string; body: string; status: string }[]>(
        'SELECT template, body, status FROM notifications.notifications WHERE customer_id = $1',
        [customerId],
      );
    await waitFor(async () => (await notificationsOfCustomer())[0]?.status === 'sent');
    expect(await notificationsOfCustomer()).toEqual([
      {
        template: 'order-cancelled',
        body: expect.stringContaining(`the payment did not go through: ${failure}.`),
        status: 'sent',
      },
    ]);
  });

  it('keeps a job that fails every attempt in the failed set and marks its notification failed', async () => {
    const { app, client, queue, mailer, notificationsOfEvent } = await start(
      { jobAttempts: 3, jobBackoffMs: 50 },
      new FakeMailer(Infinity),
    );
    const event = orderPaid();

    await client.emit(event);
    await waitFor(async () => (await queue.getFailedCount()) === 1);

    const job = await queue.getJob(jobIdOf(event.id));
    expect(await job?.getState()).toBe('failed');
    expect(job).toMatchObject({ attemptsMade: 3, failedReason: 'mail provider unavailable' });
    expect(mailer.attempts).toBe(3);
    expect(await notificationsOfEvent(event.id)).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 3, sent_at: null }),
    ]);
    // Kept, and shown to operators.
    await sleep(300);
    expect(await queue.getJob(jobIdOf(event.id))).not.toBeNull();
    const failed = await app.get(NotificationQueue).failedDeliveries(10);
    expect(failed.total).toBe(1);
    expect(failed.deliveries).toEqual([
      expect.objectContaining({
        jobId: jobIdOf(event.id),
        attemptsMade: 3,
        failedReason: 'mail provider unavailable',
      }),
    ]);
  });

  it('enqueues one job and records one notification when the same event is delivered again', async () => {
    const { client, queue, mailer, notificationsOfEvent, dataSource } = await start();
    // This worker takes no job, so the queue shows exactly what was enqueued.
    await queue.pause(true, true);
    const event = orderPaid();

    await client.emit(event);
    await Promise.all([client.emit(event), client.emit(event)]);

    expect(await queue.getJobCounts()).toMatchObject({ waiting: 1, active: 0, delayed: 0 });
    expect(await notificationsOfEvent(event.id)).toHaveLength(1);
    // The notification's own key made it once: no processed-message record is kept beside it.
    expect(
      await dataSource.query(
        'SELECT 1 FROM notifications.processed_messages WHERE message_id = $1',
        [event.id],
      ),
    ).toEqual([]);

    await queue.resume(true);
    await waitFor(() => mailer.delivered.length === 1);
    await sleep(200);
    expect(mailer.attempts).toBe(1);
  });

  it('reports waiting and failed jobs in the notification_queue_jobs gauge', async () => {
    const { client, queue, registry } = await start({ jobAttempts: 1 }, new FakeMailer(Infinity));
    await client.emit(orderPaid());
    await waitFor(async () => (await queue.getFailedCount()) === 1);
    await queue.pause(true, true);
    await client.emit(orderPaid());
    await client.emit(orderPaid());

    const gauge = registry.getSingleMetric(NOTIFICATION_QUEUE_JOBS_METRIC) as Gauge;
    const { values } = await gauge.get();
    const byState = Object.fromEntries(values.map((sample) => [sample.labels.state, sample.value]));

    expect(byState).toEqual({
      waiting: 2,
      active: 0,
      delayed: 0,
      completed: 0,
      failed: 1,
      paused: 0,
    });
    expect(await registry.metrics()).toContain('notification_queue_jobs{state="waiting"} 2');
  });

  describe('while Redis is unreachable', () => {
    let proxy: TcpProxy;

    /** An app whose queue reaches Redis through a proxy the test can take down. */
    const startBehindProxy = async (): Promise<NotificationsTestApp> => {
      const redis = new URL(TEST_REDIS_URL);
      proxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
      await proxy.up();
      const proxied = new URL(TEST_REDIS_URL);
      proxied.port = String(proxy.port);
      const testApp = await start({ redisUrl: proxied.toString(), enqueueTimeoutMs: 300 });
      await testApp.queue.isReady();
      return testApp;
    };

    afterEach(async () => {
      // The app closes first (the outer afterEach runs after this one), while Redis is back.
      await proxy.up().catch(() => undefined);
      await running?.close();
      running = undefined;
      await proxy.down();
    });

    it('fails the event, and its redelivery enqueues the job once Redis is back', async () => {
      const { client, mailer, notificationsOfEvent, dataSource } = await startBehindProxy();
      await proxy.down();
      const event = orderPaid();

      const delivered = client.emit(event);
      // Recorded first, so it is not lost while the job cannot be enqueued.
      await waitFor(async () => (await notificationsOfEvent(event.id)).length === 1);
      await sleep(1_000);
      expect(mailer.attempts).toBe(0);
      await proxy.up();
      await delivered;

      await waitFor(
        async () => (await notificationsOfEvent(event.id))[0]?.status === 'sent',
        15_000,
      );
      expect(mailer.delivered).toHaveLength(1);
      const deadLetters = await dataSource.query<unknown[]>(
        'SELECT 1 FROM notifications.dead_letters WHERE message_id = $1',
        [event.id],
      );
      expect(deadLetters).toEqual([]);
    });

    it('still shuts down cleanly, the queue closed without waiting for its jobs', async () => {
      const testApp = await startBehindProxy();
      await testApp.queue.isReady();
      await proxy.down();
      running = undefined;

      // Bull's own close would force its blocking connection to reconnect, which ioredis refuses
      // while Redis is unreachable ("already connecting"): the close failed (NotificationQueueShutdown).
      await expect(testApp.app.close()).resolves.toBeUndefined();

      // ioredis arms a 2 s timer per disconnect of a dead socket; let them run out before Jest ends.
      await sleep(2_100);
    });
  });

  it("closes the queue's Redis connections when the app shuts down", async () => {
    const testApp = await start();
    await testApp.queue.isReady();
    running = undefined;

    await testApp.close();

    expect(testApp.queue.clients.map((connection) => connection.status)).toEqual(
      testApp.queue.clients.map(() => 'end'),
    );
  });
});
