import { randomUUID } from 'node:crypto';
import type { MessageEnvelope, OrderPaidPayload } from '#lib/contracts';
import { ORDER_PAID_TEMPLATE } from '../domain/notification-templates.js';
import { InMemoryNotificationQueue } from '../testing/in-memory-notification.queue.js';
import { InMemoryNotificationRepository } from '../testing/in-memory-notification.repository.js';
import { InMemoryOncePerEvent } from '../testing/in-memory-once-per-event.js';
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

  beforeEach(() => {
    notifications = new InMemoryNotificationRepository();
    queue = new InMemoryNotificationQueue();
    service = new NotifyCustomerService(new InMemoryOncePerEvent(), notifications, queue);
  });

  it('records a queued notification for the customer and enqueues one job for it', async () => {
    const event = orderPaid();

    const outcome = await service.notify(event, ORDER_PAID_TEMPLATE);

    expect(outcome).toBe('queued');
    const [notification] = notifications.all();
    expect(notification).toMatchObject({
      customerId: event.payload.customerId,
      eventId: event.id,
      template: 'order-paid',
      status: 'queued',
      attempts: 0,
    });
    expect(notification?.subject).toContain('Payment received');
    expect([...queue.jobs.values()]).toEqual([{ notificationId: notification?.id }]);
  });

  it('creates no second notification or job when the event is delivered again', async () => {
    const event = orderPaid();

    await service.notify(event, ORDER_PAID_TEMPLATE);
    const again = await service.notify(event, ORDER_PAID_TEMPLATE);

    expect(again).toBe('requeued');
    expect(notifications.all()).toHaveLength(1);
    expect(queue.jobs.size).toBe(1);
  });

  it('fails while the queue is down, and the redelivery enqueues the job it could not', async () => {
    const event = orderPaid();
    queue.available = false;

    await expect(service.notify(event, ORDER_PAID_TEMPLATE)).rejects.toThrow('Redis unavailable');
    expect(queue.jobs.size).toBe(0);

    queue.available = true;
    await service.notify(event, ORDER_PAID_TEMPLATE);

    const [notification] = notifications.all();
    expect([...queue.jobs.values()]).toEqual([{ notificationId: notification?.id }]);
    expect(notifications.all()).toHaveLength(1);
  });

  it('enqueues nothing for a redelivered event whose notification was already sent', async () => {
    const event = orderPaid();
    await service.notify(event, ORDER_PAID_TEMPLATE);
    const [notification] = notifications.all();
    notification?.markSent(new Date());
    if (notification) await notifications.saveDelivery(notification);
    queue.jobs.clear();

    const outcome = await service.notify(event, ORDER_PAID_TEMPLATE);

    expect(outcome).toBe('settled');
    expect(queue.jobs.size).toBe(0);
  });

  it('gives two events for the same order a notification each', async () => {
    const first = orderPaid();
    const second = { ...orderPaid(), payload: first.payload };

    await service.notify(first, ORDER_PAID_TEMPLATE);
    await service.notify(second, ORDER_PAID_TEMPLATE);

    expect(notifications.all()).toHaveLength(2);
    expect(queue.jobs.size).toBe(2);
  });
});
