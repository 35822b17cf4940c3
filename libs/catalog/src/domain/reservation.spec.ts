import { Reservation } from './reservation.js';
import { ReservationMismatchError, ReservationReleasedError } from './reservation.errors.js';
import { InvalidProductError } from './product.errors.js';

const ORDER = '0b9e4d6c-2a7f-4a51-9d8b-5f3c1e2d4a10';
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const T0 = new Date('2026-03-01T10:00:00.000Z');
const T1 = new Date('2026-03-01T11:00:00.000Z');

describe('Reservation', () => {
  it('holds one line per product, quantities added up, sorted by product id', () => {
    const reservation = Reservation.place(
      ORDER,
      [
        { productId: B, quantity: 1 },
        { productId: A, quantity: 2 },
        { productId: B, quantity: 3 },
      ],
      T0,
    );
    expect(reservation.lines).toEqual([
      { productId: A, quantity: 2 },
      { productId: B, quantity: 4 },
    ]);
    expect(reservation.holdsStock).toBe(true);
  });

  it.each([
    ['no lines', []],
    ['a zero quantity', [{ productId: A, quantity: 0 }]],
    ['a negative quantity', [{ productId: A, quantity: -2 }]],
    ['a fractional quantity', [{ productId: A, quantity: 0.5 }]],
  ])('refuses %s', (_case, lines) => {
    expect(() => Reservation.place(ORDER, lines, T0)).toThrow(InvalidProductError);
  });

  it.each([
    ['the same lines', [{ productId: A, quantity: 2 }], [{ productId: A, quantity: 2 }], undefined],
    [
      'the same lines split differently',
      [
        { productId: A, quantity: 2 },
        { productId: B, quantity: 1 },
      ],
      [
        { productId: B, quantity: 1 },
        { productId: A, quantity: 1 },
        { productId: A, quantity: 1 },
      ],
      undefined,
    ],
    [
      'another quantity',
      [{ productId: A, quantity: 2 }],
      [{ productId: A, quantity: 3 }],
      ReservationMismatchError,
    ],
    [
      'another product',
      [{ productId: A, quantity: 2 }],
      [{ productId: B, quantity: 2 }],
      ReservationMismatchError,
    ],
    [
      'an extra line',
      [{ productId: A, quantity: 2 }],
      [
        { productId: A, quantity: 2 },
        { productId: B, quantity: 1 },
      ],
      ReservationMismatchError,
    ],
  ])('treats a repeated request with %s accordingly', (_case, first, repeated, error) => {
    const existing = Reservation.place(ORDER, first, T0);
    const retry = Reservation.place(ORDER, repeated, T1);
    if (error) expect(() => existing.assertRepeatedBy(retry)).toThrow(error);
    else expect(() => existing.assertRepeatedBy(retry)).not.toThrow();
  });

  it('returns its lines on the first release and nothing on later ones', () => {
    const reservation = Reservation.place(ORDER, [{ productId: A, quantity: 2 }], T0);
    expect(reservation.release(T1)).toEqual([{ productId: A, quantity: 2 }]);
    expect(reservation.isReleased).toBe(true);
    expect(reservation.holdsStock).toBe(false);
    expect(reservation.release(T1)).toEqual([]);
  });

  it('refuses to be reserved again once released, even with the same lines', () => {
    const lines = [{ productId: A, quantity: 2 }];
    const reservation = Reservation.place(ORDER, lines, T0);
    reservation.release(T1);
    expect(() => reservation.assertRepeatedBy(Reservation.place(ORDER, lines, T1))).toThrow(
      ReservationReleasedError,
    );
  });

  it('refuses a reserve that arrives after its order was released', () => {
    const tombstone = Reservation.releasedBeforePlaced(ORDER, T0);
    expect(tombstone.holdsStock).toBe(false);
    expect(tombstone.release(T1)).toEqual([]);
    expect(() =>
      tombstone.assertRepeatedBy(Reservation.place(ORDER, [{ productId: A, quantity: 1 }], T1)),
    ).toThrow(ReservationReleasedError);
  });
});
