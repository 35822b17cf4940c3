import { randomUUID } from 'node:crypto';
import { Notification } from '../domain/notification.js';
import { InvalidNotificationCursorError } from '../domain/notification.errors.js';
import { InMemoryNotificationRepository } from '../testing/in-memory-notification.repository.js';
import { ListNotificationsService } from './list-notifications.service.js';

describe('ListNotificationsService', () => {
  const customerId = randomUUID();
  let notifications: InMemoryNotificationRepository;
  let service: ListNotificationsService;

  const add = async (owner: string, minute: number): Promise<Notification> => {
    const notification = Notification.queue({
      id: randomUUID(),
      customerId: owner,
      eventId: randomUUID(),
      template: 'order-paid',
      message: { subject: `at ${minute}`, body: '' },
      now: new Date(Date.UTC(2026, 10, 20, 10, minute)),
    });
    await notifications.insertIfAbsent(notification);
    return notification;
  };

  beforeEach(() => {
    notifications = new InMemoryNotificationRepository();
    service = new ListNotificationsService(notifications);
  });

  it("pages through the customer's own notifications, newest first", async () => {
    for (const minute of [1, 2, 3, 4, 5]) await add(customerId, minute);
    await add(randomUUID(), 6);

    const first = await service.page({ customerId, limit: 2 });
    const second = await service.page({ customerId, limit: 2, cursor: first.nextCursor });
    const third = await service.page({ customerId, limit: 2, cursor: second.nextCursor });

    const subjects = [first, second, third].map((page) =>
      page.notifications.map((notification) => notification.subject),
    );
    expect(subjects).toEqual([['at 5', 'at 4'], ['at 3', 'at 2'], ['at 1']]);
    expect(third.nextCursor).toBeUndefined();
  });

  it('gives no next cursor when everything fits on one page', async () => {
    await add(customerId, 1);

    const page = await service.page({ customerId, limit: 1 });

    expect(page.notifications).toHaveLength(1);
    expect(page.nextCursor).toBeUndefined();
  });

  it.each(['not-base64-json', Buffer.from('{"t":"yesterday","id":"x"}').toString('base64url')])(
    'rejects the malformed cursor %s',
    async (cursor) => {
      await expect(service.page({ customerId, limit: 2, cursor })).rejects.toBeInstanceOf(
        InvalidNotificationCursorError,
      );
    },
  );
});
