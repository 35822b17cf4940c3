import { InvalidNotificationCursorError } from '../domain/notification.errors.js';
import type { NotificationPosition } from '../repositories/notification.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Cursors are opaque to clients (base64url of JSON) so the position format can change without
 * breaking them; they carry the last item's sort key, so a page is stable under concurrent inserts.
 */
export const NotificationPageCursor = {
  encode(position: NotificationPosition): string {
    const payload = JSON.stringify({ t: position.createdAt.toISOString(), id: position.id });
    return Buffer.from(payload, 'utf8').toString('base64url');
  },

  decode(cursor: string): NotificationPosition {
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidNotificationCursorError();
    }
    const { t, id } = (payload ?? {}) as { t?: unknown; id?: unknown };
    const createdAt = typeof t === 'string' ? new Date(t) : undefined;
    if (
      !createdAt ||
      Number.isNaN(createdAt.getTime()) ||
      typeof id !== 'string' ||
      !UUID.test(id)
    ) {
      throw new InvalidNotificationCursorError();
    }
    return { createdAt, id };
  },
};
