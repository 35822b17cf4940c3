import { decodeKeysetCursor, encodeKeysetCursor } from './keyset-cursor.js';

describe('keyset cursors', () => {
  const position = {
    createdAt: new Date('2026-11-21T10:00:00.123Z'),
    id: 'a3bb189e-8bf9-3888-9912-ace4e6543002',
  };

  it('round-trips a position through an opaque cursor', () => {
    const cursor = encodeKeysetCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeKeysetCursor(cursor)).toEqual(position);
  });

  it.each([
    ['not base64 json', 'not-a-cursor'],
    [
      'a bad date',
      Buffer.from(JSON.stringify({ t: 'yesterday', id: position.id })).toString('base64url'),
    ],
    [
      'a bad id',
      Buffer.from(JSON.stringify({ t: position.createdAt.toISOString(), id: '1; DROP' })).toString(
        'base64url',
      ),
    ],
    ['null', Buffer.from('null').toString('base64url')],
    ...[
      ['a date before Postgres time begins', '-271821-04-20T00:00:00.000Z'],
      ['a date after year 9999', '+275760-09-13T00:00:00.000Z'],
      ['year zero', '0000-01-01T00:00:00.000Z'],
      ['a date in a lenient, non-ISO form', 'Tue 2020'],
      ['a date without its time', '2026-11-21'],
      ['a date that rolls over', '2026-02-31T00:00:00.000Z'],
    ].map(([label, t]) => [
      label,
      Buffer.from(JSON.stringify({ t, id: position.id })).toString('base64url'),
    ]),
  ])('refuses %s', (_label, cursor) => {
    expect(decodeKeysetCursor(cursor)).toBeUndefined();
  });
});
