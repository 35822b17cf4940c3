import { DomainError } from '#lib/kernel';
import type { OrderPosition } from '../repositories/order.repository.js';

export class InvalidOrderPageCursorError extends DomainError {
  readonly code = 'ORDERS.INVALID_CURSOR';
  readonly kind = 'validation';

  constructor() {
    super('The page cursor is not valid; start again from the first page');
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Cursors are opaque to clients (base64url of JSON) so the position format can change without
 * breaking them; they carry the last order's sort key, so pages are stable while orders are placed.
 */
export const OrderPageCursor = {
  encode(position: OrderPosition): string {
    const payload = JSON.stringify({ t: position.createdAt.toISOString(), id: position.id });
    return Buffer.from(payload, 'utf8').toString('base64url');
  },

  decode(cursor: string): OrderPosition {
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidOrderPageCursorError();
    }
    const { t, id } = (payload ?? {}) as { t?: unknown; id?: unknown };
    const createdAt = typeof t === 'string' ? new Date(t) : undefined;
    if (
      !createdAt ||
      Number.isNaN(createdAt.getTime()) ||
      typeof id !== 'string' ||
      !UUID.test(id)
    ) {
      throw new InvalidOrderPageCursorError();
    }
    return { createdAt, id };
  },
};
