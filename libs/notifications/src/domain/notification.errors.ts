import { DomainError } from '#lib/kernel';
import type { NotificationStatus } from './notification-status.js';

export class NotificationNotFoundError extends DomainError {
  readonly code = 'NOTIFICATIONS.NOT_FOUND';
  readonly kind = 'not_found';

  constructor(id: string) {
    super(`Notification ${id} does not exist`, { id });
  }
}

export class NotificationStatusError extends DomainError {
  readonly code = 'NOTIFICATIONS.ILLEGAL_STATUS_CHANGE';
  readonly kind = 'conflict';

  constructor(id: string, status: NotificationStatus) {
    super(`Notification ${id} is already ${status}`, { id, status });
  }
}

export class InvalidNotificationCursorError extends DomainError {
  readonly code = 'NOTIFICATIONS.INVALID_CURSOR';
  readonly kind = 'validation';

  constructor() {
    super('The page cursor is not valid; start again from the first page');
  }
}
