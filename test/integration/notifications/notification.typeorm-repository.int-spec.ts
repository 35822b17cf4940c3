import { randomUUID } from 'node:crypto';
import { TransactionRunner } from '#lib/database';
import { openTestDataSource } from '#lib/testing';
import type { DataSource } from 'typeorm';
import { Notification } from '../../../libs/notifications/src/domain/notification.js';
import { NOTIFICATIONS_PERSISTENCE } from '../../../libs/notifications/src/notifications.persistence.js';
import { TypeormNotificationRepository } from '../../../libs/notifications/src/repositories/notification.typeorm-repository.js';
import { TEST_DATABASE_URL } from '../../support/test-environment.js';

describe('TypeormNotificationRepository against PostgreSQL', () => {
  let dataSource: DataSource;
  let notifications: TypeormNotificationRepository;
  const created: string[] = [];

  beforeAll(async () => {
    dataSource = await openTestDataSource({
      url: TEST_DATABASE_URL,
      features: [NOTIFICATIONS_PERSISTENCE],
    });
    notifications = new TypeormNotificationRepository(new TransactionRunner(dataSource));
  });

  // The shared test database: only this suite's rows go.
  afterAll(async () => {
    await dataSource.query('DELETE FROM notifications.notifications WHERE id = ANY($1::uuid[])', [
      created,
    ]);
    await dataSource.destroy();
  });

  const queued = async (): Promise<Notification> => {
    const notification = Notification.queue({
      id: randomUUID(),
      customerId: randomUUID(),
      eventId: randomUUID(),
      template: 'order-paid',
      message: { subject: 'Paid: order 42', body: 'We received ¥1,250.\nThank you.' },
      now: new Date('2026-02-03T04:05:06.789Z'),
    });
    expect(await notifications.insertIfAbsent(notification)).toBe(true);
    created.push(notification.id);
    return notification;
  };

  it('reads a notification back by id with every field intact', async () => {
    const notification = await queued();

    expect((await notifications.findById(notification.id))?.toSnapshot()).toEqual(
      notification.toSnapshot(),
    );
    expect(await notifications.findById(randomUUID())).toBeNull();
  });

  it('inserts nothing for an event that has a notification of the template, and fails on an id that exists', async () => {
    const first = await queued();
    const again = (id: string, template: string) =>
      Notification.queue({
        id,
        customerId: first.customerId,
        eventId: first.eventId,
        template,
        message: { subject: 'again', body: 'again' },
        now: new Date(),
      });

    expect(await notifications.insertIfAbsent(again(randomUUID(), first.template))).toBe(false);
    const otherTemplate = again(randomUUID(), 'order-shipped');
    expect(await notifications.insertIfAbsent(otherTemplate)).toBe(true);
    created.push(otherTemplate.id);
    await expect(notifications.insertIfAbsent(again(first.id, 'order-placed'))).rejects.toThrow(
      /notifications_pkey/,
    );
    expect((await notifications.findById(first.id))?.toSnapshot()).toEqual(first.toSnapshot());
  });

  it('saves a delivery: status, attempts and when it was sent, nothing else', async () => {
    const notification = await queued();
    const untouched = await queued();
    notification.recordFailedAttempt({ lastAttempt: false });
    notification.markSent(new Date('2026-02-03T04:05:07.001Z'));

    await notifications.saveDelivery(notification);

    expect((await notifications.findById(notification.id))?.toSnapshot()).toEqual(
      notification.toSnapshot(),
    );
    expect(notification.toSnapshot()).toMatchObject({ status: 'sent', attempts: 2 });
    expect((await notifications.findById(untouched.id))?.toSnapshot()).toEqual(
      untouched.toSnapshot(),
    );
  });
});
