/** Where a page ended in a list sorted by (createdAt, id): the key of its last item. */
export interface KeysetPosition {
  readonly createdAt: Date;
  readonly id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Exactly what toISOString writes for years 0001 to 9999, all of which Postgres can store. */
const ISO_INSTANT = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The instant `text` names, only in the exact form encodeKeysetCursor writes. Date's parser
 * accepts far more (`Tue 2020`, year -271821, Feb 31), and those values reached Postgres,
 * which refused them with a 500.
 */
function instantOf(text: unknown): Date | undefined {
  if (typeof text !== 'string' || !ISO_INSTANT.test(text)) return undefined;
  const instant = new Date(text);
  return !Number.isNaN(instant.getTime()) && instant.toISOString() === text ? instant : undefined;
}

/**
 * Cursors are opaque to clients (base64url of JSON) so the position format can change without
 * breaking them; they carry the last item's sort key, so pages are stable under concurrent inserts.
 */
export function encodeKeysetCursor(position: KeysetPosition): string {
  const payload = JSON.stringify({ t: position.createdAt.toISOString(), id: position.id });
  return Buffer.from(payload, 'utf8').toString('base64url');
}

/** The position a cursor names, or undefined when it is not one of ours (callers raise their own error). */
export function decodeKeysetCursor(cursor: string): KeysetPosition | undefined {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const { t, id } = (payload ?? {}) as { t?: unknown; id?: unknown };
  const createdAt = instantOf(t);
  if (!createdAt || typeof id !== 'string' || !UUID.test(id)) return undefined;
  return { createdAt, id };
}
