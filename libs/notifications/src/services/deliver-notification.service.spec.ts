import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { ManualClock } from '#lib/testing';
import { Notification } from '../domain/notification.js';
import { NotificationNotFoundError } from '../domain/notification.errors.js';
import { FakeMailer } from '../testing/fake.mailer.js';
import { InMemoryNotificationRepository } from '../testing/in-memory-notification.repository.js';
import { DeliverNotificationService } from './deliver-notification.service.js';

describe('DeliverNotificationService', () => {
  let notifications: InMemoryNotificationRepository;
  let mailer: FakeMailer;
  let service: DeliverNotificationService;
  const clock = new ManualClock(new Date('2026-03-04T05:06:07.000Z'));
  let notification: Notification;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  beforeEach(async () => {
    notifications = new InMemoryNotificationRepository();
    mailer = new FakeMailer();
    service = new DeliverNotificationService(notifications, mailer, clock);
    notification = Notification.queue({
      id: randomUUID(),
      customerId: randomUUID(),
      eventId: randomUUID(),
      template: 'order-shipped',
      message: { subject: 'On its way', body: 'Your order left' },
      now: new Date(),
    });
    await notifications.insertIfAbsent(notification);
  });

  const stored = async (): Promise<Notification | null> => notifications.findById(notification.id);

  it('mails the customer and marks the notification sent', async () => {
    const outcome = await service.deliver({
      notificationId: notification.id,
      attempt: 1,
      maxAttempts: 5,
    });

    expect(outcome).toBe('sent');
    expect(mailer.delivered).toEqual([
      {
        messageId: notification.id,
        customerId: notification.customerId,
        subject: 'On its way',
        body: 'Your order left',
      },
    ]);
    expect(await stored()).toMatchObject({ status: 'sent', attempts: 1 });
    expect((await stored())?.sentAt).toEqual(clock.now());
  });

  it('rethrows a mailer failure so the queue retries, and counts the attempt', async () => {
    mailer.failuresLeft = 1;

    await expect(
      service.deliver({ notificationId: notification.id, attempt: 1, maxAttempts: 5 }),
    ).rejects.toThrow('mail provider unavailable');

    expect(await stored()).toMatchObject({ status: 'queued', attempts: 1, sentAt: null });
  });

  it('marks the notification failed when the last attempt fails', async () => {
    mailer.failuresLeft = 1;

    await expect(
      service.deliver({ notificationId: notification.id, attempt: 5, maxAttempts: 5 }),
    ).rejects.toThrow('mail provider unavailable');

    expect(await stored()).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('rethrows the mailer error even when recording the failed attempt fails too', async () => {
    mailer.failuresLeft = 1;
    notifications.failSaves = true;

    await expect(
      service.deliver({ notificationId: notification.id, attempt: 1, maxAttempts: 5 }),
    ).rejects.toThrow('mail provider unavailable');
  });

  it('does not mail again when the job runs after the notification was sent', async () => {
    await service.deliver({ notificationId: notification.id, attempt: 1, maxAttempts: 5 });

    const outcome = await service.deliver({
      notificationId: notification.id,
      attempt: 1,
      maxAttempts: 5,
    });

    expect(outcome).toBe('already-sent');
    expect(mailer.attempts).toBe(1);
  });

  it('fails the job when the notification does not exist', async () => {
    await expect(
      service.deliver({ notificationId: randomUUID(), attempt: 1, maxAttempts: 5 }),
    ).rejects.toBeInstanceOf(NotificationNotFoundError);
    expect(mailer.attempts).toBe(0);
  });
});
