import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { ManualClock } from '#lib/testing';
import type { DeliverNotificationJob } from '../clients/notification-queue.js';
import { Notification } from '../domain/notification.js';
import { DeliverNotificationService } from '../services/deliver-notification.service.js';
import { FakeMailer } from '../testing/fake.mailer.js';
import { InMemoryNotificationRepository } from '../testing/in-memory-notification.repository.js';
import { NotificationDeliveryJobProcessor } from './notification-delivery.job-processor.js';

/** The fields of a Bull job the processor reads. */
const job = (notificationId: string, attemptsMade: number, attempts: number) =>
  ({ data: { notificationId }, attemptsMade, opts: { attempts } }) as Job<DeliverNotificationJob>;

describe('NotificationDeliveryJobProcessor', () => {
  let notifications: InMemoryNotificationRepository;
  let mailer: FakeMailer;
  let processor: NotificationDeliveryJobProcessor;
  let notification: Notification;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  beforeEach(async () => {
    notifications = new InMemoryNotificationRepository();
    mailer = new FakeMailer();
    processor = new NotificationDeliveryJobProcessor(
      new DeliverNotificationService(notifications, mailer, new ManualClock()),
    );
    notification = Notification.queue({
      id: randomUUID(),
      customerId: randomUUID(),
      eventId: randomUUID(),
      template: 'order-paid',
      message: { subject: 'Paid', body: 'Thanks' },
      now: new Date(),
    });
    await notifications.insertIfAbsent(notification);
  });

  it('completes the job and marks the notification sent when the mailer accepts it', async () => {
    await expect(processor.deliver(job(notification.id, 0, 5))).resolves.toBe('sent');

    expect(mailer.delivered.map((mail) => mail.messageId)).toEqual([notification.id]);
    expect(await notifications.findById(notification.id)).toMatchObject({ status: 'sent' });
  });

  it('fails the job with the mailer error so that Bull retries it', async () => {
    mailer.failuresLeft = 1;

    await expect(processor.deliver(job(notification.id, 1, 5))).rejects.toThrow(
      'mail provider unavailable',
    );

    expect(await notifications.findById(notification.id)).toMatchObject({
      status: 'queued',
      attempts: 1,
    });
  });

  it("treats Bull's last attempt as final and marks the notification failed", async () => {
    mailer.failuresLeft = 1;

    await expect(processor.deliver(job(notification.id, 4, 5))).rejects.toThrow();

    expect(await notifications.findById(notification.id)).toMatchObject({ status: 'failed' });
  });
});
