import { randomUUID } from 'node:crypto';
import { Notification } from '../domain/notification.js';
import { resolveNotificationsOptions } from '../notifications-options.js';
import { deliveryJobId, notificationQueueOptions } from './notification-queue.js';

const notificationFor = (eventId: string, template: string): Notification =>
  Notification.queue({
    id: randomUUID(),
    customerId: randomUUID(),
    eventId,
    template,
    message: { subject: 's', body: 'b' },
    now: new Date(),
  });

describe('notification queue settings', () => {
  it('derives the job id from the event, so a redelivery asks for the same job', () => {
    const eventId = randomUUID();

    const first = deliveryJobId(notificationFor(eventId, 'order-paid'));
    const again = deliveryJobId(notificationFor(eventId, 'order-paid'));

    expect(first).toBe(again);
    expect(first).toContain(eventId);
    expect(deliveryJobId(notificationFor(eventId, 'order-shipped'))).not.toBe(first);
  });

  it('retries with exponential backoff, keeps failed jobs and prefixes keys by service', () => {
    const options = notificationQueueOptions(
      resolveNotificationsOptions({
        redisUrl: 'redis://127.0.0.1:6379/0',
        serviceName: 'orders-eu',
        jobAttempts: 7,
        jobBackoffMs: 250,
      }),
    );

    expect(options).toMatchObject({
      url: 'redis://127.0.0.1:6379/0',
      prefix: 'bull:orders-eu',
      defaultJobOptions: {
        attempts: 7,
        backoff: { type: 'exponential', delay: 250 },
        removeOnComplete: 1_000,
        removeOnFail: false,
      },
    });
  });

  it('defaults to 5 attempts from a 1 s backoff', () => {
    const options = resolveNotificationsOptions({ redisUrl: 'redis://x', serviceName: 'app' });

    expect(options).toMatchObject({ jobAttempts: 5, jobBackoffMs: 1_000 });
  });

  it.each([0, -1, 1.5])('refuses %p attempts', (jobAttempts) => {
    expect(() =>
      resolveNotificationsOptions({ redisUrl: 'redis://x', serviceName: 'app', jobAttempts }),
    ).toThrow('jobAttempts must be an integer >= 1');
  });
});
