import { randomUUID } from 'node:crypto';
import type { MessageEnvelope, OrderPaidPayload } from '#lib/contracts';
import { ManualClock } from '#lib/testing';
import type { Notification } from '../domain/notification.js';
import { ORDER_PAID_TEMPLATE } from '../domain/notification-templates.js';
import { InMemoryNotificationQueue } from '../testing/in-memory-notification.queue.js';
import { InMemoryNotificationRepository } from '../testing/in-memory-notification.repository.js';
import { NotifyCustomerService } from './notify-customer.service.js';

const orderPaid = (): MessageEnvelope<OrderPaidPayload> => ({
  id: randomUUID(),
  type: 'orders.v1.order-paid',
  version: 1,
  occurredAt: new Date().toISOString(),
  correlationId: randomUUID(),
  payload: { orderId: randomUUID(), customerId: randomUUID(), paymentId: randomUUID() },
});

describe('NotifyCustomerService', () => {
  let notifications: InMemoryNotificationRepository;
  let queue: InMemoryNotificationQueue;
  let service: NotifyCustomerService;
  const clock = new ManualClock(new Date('2026-03-04T05:06:07.000Z'));

  beforeEach(() => {
    notifications = new InMemoryNotificationRepository();
    queue = new InMemoryNotificationQueue();
    service = new NotifyCustomerService(notifications, queue, clock);
  });

  /** What `record` returned for an event delivered for the first time. */
  const recordedFor = async (event: MessageEnvelope<OrderPaidPayload>): Promise<Notification> => {
    const recorded = await service.record(event, ORDER_PAID_TEMPLATE);
    if (!recorded) throw new Error('a first delivery recorded nothing');
    return recorded;
  };

  it('records nothing for an event delivered again, and returns nothing then', async () => {
    const event = orderPaid();
    const first = await recordedFor(event);
    clock.advanceMs(1_000);

    expect(
      await service.record({ ...event, correlationId: randomUUID() }, ORDER_PAID_TEMPLATE),
    ).toBeUndefined();
    expect(notifications.all()).toEqual([first]);
  });

  it('records a queued notification for the customer, and enqueues nothing yet', async () => {
    const event = orderPaid();

    const recorded = await recordedFor(event);

    expect(notifications.all()).toEqual([recorded]);
    expect(recorded).toMatchObject({
      customerId: event.payload.customerId,
      eventId: event.id,
      template: 'order-paid',
      status: 'queued',
      attempts: 0,
      createdAt: clock.now(),
    });
    expect(recorded.subject).toContain('Payment received');
    expect(queue.jobs.size).toBe(0);
  });

  it('enqueues one job for the notification it was handed', async () => {
    const event = orderPaid();
    const recorded = await recordedFor(event);

    const outcome = await service.enqueueOwed(event, ORDER_PAID_TEMPLATE, recorded);

    expect(outcome).toBe('queued');
    expect([...queue.jobs.values()]).toEqual([{ notificationId: recorded.id }]);
  });

  it('without one, finds the notification the event recorded and enqueues it while owed', async () => {
    const event = orderPaid();
    const recorded = await recordedFor(event);

    const outcome = await service.enqueueOwed(event, ORDER_PAID_TEMPLATE);

    expect(outcome).toBe('requeued');
    expect([...queue.jobs.values()]).toEqual([{ notificationId: recorded.id }]);
  });

  it('enqueues nothing once the notification was sent, or when the event recorded none', async () => {
    const event = orderPaid();
    const recorded = await recordedFor(event);
    recorded.markSent(new Date());
    await notifications.saveDelivery(recorded);

    expect(await service.enqueueOwed(event, ORDER_PAID_TEMPLATE)).toBe('settled');
    expect(await service.enqueueOwed(orderPaid(), ORDER_PAID_TEMPLATE)).toBe('settled');
    expect(queue.jobs.size).toBe(0);
  });
});
