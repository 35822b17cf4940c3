import { MAX_LINE_QUANTITY } from '#lib/contracts';
import { InvalidOrderError } from './order.errors.js';
import { mergeRequestedItems } from './requested-items.js';

describe('mergeRequestedItems', () => {
  it('adds up the quantities of a repeated product, keeping first-seen order', () => {
    expect(
      mergeRequestedItems([
        { productId: 'b', quantity: 1 },
        { productId: 'a', quantity: 2 },
        { productId: 'b', quantity: 3 },
      ]),
    ).toEqual([
      { productId: 'b', quantity: 4 },
      { productId: 'a', quantity: 2 },
    ]);
  });

  it('refuses an empty basket', () => {
    expect(() => mergeRequestedItems([])).toThrow(InvalidOrderError);
  });

  it('refuses a merged quantity above the per-line maximum', () => {
    expect(() =>
      mergeRequestedItems([
        { productId: 'a', quantity: MAX_LINE_QUANTITY },
        { productId: 'a', quantity: 1 },
      ]),
    ).toThrow(InvalidOrderError);
  });
});
