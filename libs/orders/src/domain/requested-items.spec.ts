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

  it('counts a product id spelled in capitals as the same product, in lower case', () => {
    const id = '0b4f5f0e-55a1-4f7e-8b0c-6d2f5e8a9c31';
    const twoSpellings = (first: number) => [
      { productId: id.toUpperCase(), quantity: first },
      { productId: id, quantity: 1 },
    ];
    expect(mergeRequestedItems(twoSpellings(2))).toEqual([{ productId: id, quantity: 3 }]);
    expect(() => mergeRequestedItems(twoSpellings(MAX_LINE_QUANTITY))).toThrow(InvalidOrderError);
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
