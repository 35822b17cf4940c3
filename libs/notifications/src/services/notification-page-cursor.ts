import { decodeKeysetCursor, encodeKeysetCursor } from '#lib/kernel';
import { InvalidNotificationCursorError } from '../domain/notification.errors.js';
import type { NotificationPosition } from '../repositories/notification.repository.js';

export const NotificationPageCursor = {
  encode: (position: NotificationPosition): string => encodeKeysetCursor(position),

  decode(cursor: string): NotificationPosition {
    const position = decodeKeysetCursor(cursor);
    if (!position) throw new InvalidNotificationCursorError();
    return position;
  },
};
