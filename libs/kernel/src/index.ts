export { DomainError, type DomainErrorKind } from './domain-error.js';
export { decodeKeysetCursor, encodeKeysetCursor, type KeysetPosition } from './keyset-cursor.js';
export { Clock, SystemClock } from './clock.js';
