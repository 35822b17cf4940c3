import { decodeKeysetCursor, DomainError, encodeKeysetCursor } from '#lib/kernel';
import type { OrderPosition } from '../repositories/order.repository.js';

export class InvalidOrderPageCursorError extends DomainError {
  readonly code = 'ORDERS.INVALID_CURSOR';
  readonly kind = 'validation';

  constructor() {
    super('The page cursor is not valid; start again from the first page');
  }
}

export const OrderPageCursor = {
  encode: (position: OrderPosition): string => encodeKeysetCursor(position),

  decode(cursor: string): OrderPosition {
    const position = decodeKeysetCursor(cursor);
    if (!position) throw new InvalidOrderPageCursorError();
    return position;
  },
};
