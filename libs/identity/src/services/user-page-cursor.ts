import { decodeKeysetCursor, DomainError, encodeKeysetCursor } from '#lib/kernel';
import type { UserPosition } from '../repositories/user.repository.js';

export class InvalidPageCursorError extends DomainError {
  readonly code = 'IDENTITY.INVALID_CURSOR';
  readonly kind = 'validation';

  constructor() {
    super('The page cursor is not valid; start again from the first page');
  }
}

export const UserPageCursor = {
  encode: (position: UserPosition): string => encodeKeysetCursor(position),

  decode(cursor: string): UserPosition {
    const position = decodeKeysetCursor(cursor);
    if (!position) throw new InvalidPageCursorError();
    return position;
  },
};
