import { randomUUID } from 'node:crypto';
import { Notification } from './notification.js';
import { NotificationStatusError } from './notification.errors.js';

const queued = (): Notification =>
  Notification.queue({
    id: randomUUID(),
    customerId: randomUUID(),
    eventId: randomUUID(),
    template: 'order-paid',
    message: { subject: 'Paid', body: 'Thanks' },
    now: new Date('2026-11-20T10:00:00Z'),
  });

describe('Notification', () => {
  it('starts queued with no attempts and no sent time', () => {
    const notification = queued();

    expect(notification.status).toBe('queued');
    expect(notification.attempts).toBe(0);
    expect(notification.sentAt).toBeNull();
    expect(notification.isPending).toBe(true);
  });

  it('counts the successful attempt and records when it was sent', () => {
    const notification = queued();
    const at = new Date('2026-11-20T10:00:05Z');

    notification.markSent(at);

    expect(notification.status).toBe('sent');
    expect(notification.attempts).toBe(1);
    expect(notification.sentAt).toEqual(at);
    expect(notification.isPending).toBe(false);
  });

  it.each([
    { lastAttempt: false, status: 'queued' },
    { lastAttempt: true, status: 'failed' },
  ])(
    'is $status after a failed attempt when lastAttempt is $lastAttempt',
    ({ lastAttempt, status }) => {
      const notification = queued();

      notification.recordFailedAttempt({ lastAttempt });

      expect(notification.status).toBe(status);
      expect(notification.attempts).toBe(1);
    },
  );

  it('can still be sent after it failed, when an operator retries the dead job', () => {
    const notification = queued();
    notification.recordFailedAttempt({ lastAttempt: true });

    notification.markSent(new Date());

    expect(notification.status).toBe('sent');
    expect(notification.attempts).toBe(2);
  });

  it('refuses to be sent twice or to record a failure once sent', () => {
    const notification = queued();
    notification.markSent(new Date());

    expect(() => notification.markSent(new Date())).toThrow(NotificationStatusError);
    expect(() => notification.recordFailedAttempt({ lastAttempt: false })).toThrow(
      NotificationStatusError,
    );
    expect(notification.attempts).toBe(1);
  });
});
