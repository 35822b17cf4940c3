import { Injectable } from '@nestjs/common';
import type { Notification } from '../domain/notification.js';
import { NotificationRepository } from '../repositories/notification.repository.js';
import { NotificationPageCursor } from './notification-page-cursor.js';

export interface NotificationPage {
  readonly notifications: readonly Notification[];
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

/** A customer's own notifications, newest first, with cursor pagination. */
@Injectable()
export class ListNotificationsService {
  constructor(private readonly notifications: NotificationRepository) {}

  async page(query: {
    customerId: string;
    limit: number;
    cursor?: string;
  }): Promise<NotificationPage> {
    const before =
      query.cursor === undefined ? undefined : NotificationPageCursor.decode(query.cursor);
    // One extra row tells whether another page exists without a count query.
    const found = await this.notifications.listForCustomer(
      query.customerId,
      before,
      query.limit + 1,
    );
    const notifications = found.slice(0, query.limit);
    const last = notifications.at(-1);
    return found.length > query.limit && last
      ? {
          notifications,
          nextCursor: NotificationPageCursor.encode({ createdAt: last.createdAt, id: last.id }),
        }
      : { notifications };
  }
}
