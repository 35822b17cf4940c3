import { Notification } from '../domain/notification.js';
import { NOTIFICATION_STATUSES, type NotificationStatus } from '../domain/notification-status.js';
import { NotificationRecord } from './notification.record.js';

const isStatus = (value: string): value is NotificationStatus =>
  (NOTIFICATION_STATUSES as readonly string[]).includes(value);

export const NotificationMapper = {
  toDomain(record: NotificationRecord): Notification {
    // The table's CHECK constraint admits known statuses only; this guards a hand-edited row.
    if (!isStatus(record.status)) {
      throw new Error(`notification ${record.id} has unknown status ${record.status}`);
    }
    return Notification.restore({ ...record, status: record.status });
  },

  toRecord(notification: Notification): NotificationRecord {
    return Object.assign(new NotificationRecord(), notification.toSnapshot());
  },
};
