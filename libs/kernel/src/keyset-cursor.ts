/** Where a page ended in a list sorted by (createdAt, id): the key of its last item. */
export interface KeysetPosition {
  readonly createdAt: Date;
  readonly id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  const createdAt = typeof t === 'string' ? new Date(t) : undefined;
  if (!createdAt || Number.isNaN(createdAt.getTime()) || typeof id !== 'string' || !UUID.test(id)) {
    return undefined;
  }
  return { createdAt, id };
}
