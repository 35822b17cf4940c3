import { randomUUID } from 'node:crypto';
import { ORDER_EVENTS, type OrderCancelledPayload, type OrderPaidPayload } from '#lib/contracts';
import { createEnvelope } from '#lib/messaging';
import { ManualClock } from '#lib/testing';
import { NotifyCustomerService } from '../services/notify-customer.service.js';
import { InMemoryNotificationQueue } from '../testing/in-memory-notification.queue.js';
import { InMemoryNotificationRepository } from '../testing/in-memory-notification.repository.js';
import { NotificationEventsMessageController } from './notification-events.message.controller.js';

const orderPaid = (payload: Partial<OrderPaidPayload> = {}) =>
  createEnvelope<OrderPaidPayload>(ORDER_EVENTS.paid, {
    orderId: randomUUID(),
    customerId: randomUUID(),
    paymentId: randomUUID(),
    ...payload,
  });

const cancellation = (extra: Partial<OrderCancelledPayload> = {}) =>
  createEnvelope<OrderCancelledPayload>(ORDER_EVENTS.cancelled, {
    orderId: randomUUID(),
    customerId: randomUUID(),
    reason: 'cancelled_by_customer',
    wasPaid: false,
    ...extra,
  });

describe('NotificationEventsMessageController', () => {
  let notifications: InMemoryNotificationRepository;
  let queue: InMemoryNotificationQueue;
  let controller: NotificationEventsMessageController;

  beforeEach(() => {
    notifications = new InMemoryNotificationRepository();
    queue = new InMemoryNotificationQueue();
    controller = new NotificationEventsMessageController(
      new NotifyCustomerService(notifications, queue, new ManualClock()),
    );
  });

  it('records one queued notification and one job', async () => {
    const event = orderPaid();

    await controller.onOrderPaid(event);

    const [notification] = notifications.all();
    expect(notifications.all()).toHaveLength(1);
    expect(notification).toMatchObject({ eventId: event.id, template: 'order-paid' });
    expect([...queue.jobs.values()]).toEqual([{ notificationId: notification?.id }]);
  });

  it('creates no second notification or job when the event is delivered again', async () => {
    const event = orderPaid();

    await controller.onOrderPaid(event);
    await controller.onOrderPaid(event);

    expect(notifications.all()).toHaveLength(1);
    expect(queue.jobs.size).toBe(1);
  });

  it('fails while the queue is down, and the redelivery enqueues the job it could not', async () => {
    const event = orderPaid();
    queue.available = false;

    await expect(controller.onOrderPaid(event)).rejects.toThrow('Redis unavailable');
    // The notification committed before the enqueue: the redelivery is a duplicate.
    expect(notifications.all()).toHaveLength(1);
    expect(queue.jobs.size).toBe(0);

    queue.available = true;
    await controller.onOrderPaid(event);

    const [notification] = notifications.all();
    expect(notifications.all()).toHaveLength(1);
    expect([...queue.jobs.values()]).toEqual([{ notificationId: notification?.id }]);
  });

  it('enqueues nothing for a redelivered event whose notification was already sent', async () => {
    const event = orderPaid();
    await controller.onOrderPaid(event);
    const [notification] = notifications.all();
    notification?.markSent(new Date());
    if (notification) await notifications.saveDelivery(notification);
    queue.jobs.clear();

    await controller.onOrderPaid(event);

    expect(queue.jobs.size).toBe(0);
  });

  it('gives two events for the same order a notification each', async () => {
    const first = orderPaid();
    const second = orderPaid(first.payload);

    await controller.onOrderPaid(first);
    await controller.onOrderPaid(second);

    expect(notifications.all()).toHaveLength(2);
    expect(queue.jobs.size).toBe(2);
  });

  it('tells the customer of a cancellation', async () => {
    await controller.onOrderCancelled(cancellation());

    expect(notifications.all().map((notification) => notification.template)).toEqual([
      'order-cancelled',
    ]);
  });

  it('says nothing when the cancellation is announced again only to refund a late payment', async () => {
    await controller.onOrderCancelled(
      cancellation({ wasPaid: true, paymentId: randomUUID(), refundsLatePayment: true }),
    );

    expect(notifications.all()).toEqual([]);
    expect(queue.jobs.size).toBe(0);
  });
});
