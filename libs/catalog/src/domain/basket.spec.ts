import { priceBasket, priceHeldBasket } from './basket.js';
import { MixedCurrenciesError } from './basket.errors.js';
import { Money } from './money.js';
import { Product } from './product.js';

const NOW = new Date('2026-03-01T10:00:00.000Z');
const product = (sku: string, amount: number, currency = 'EUR'): Product =>
  Product.create({ sku, name: sku, price: Money.of(amount, currency), stock: 10, now: NOW });

describe('priceBasket', () => {
  it('prices each line at the current price and totals them in minor units', () => {
    const mug = product('MUG', 1299);
    const tea = product('TEA', 450);
    const priced = priceBasket(
      [
        { productId: tea.id, quantity: 3 },
        { productId: mug.id, quantity: 1 },
      ],
      [mug, tea],
    );
    expect(priced.lines.map((line) => [line.sku, line.quantity, line.lineTotal.amount])).toEqual([
      ['TEA', 3, 1350],
      ['MUG', 1, 1299],
    ]);
    expect(priced.total?.toJSON()).toEqual({ amount: 2649, currency: 'EUR' });
  });

  it('adds up a product listed twice into one line', () => {
    const mug = product('MUG', 1000);
    const priced = priceBasket(
      [
        { productId: mug.id, quantity: 1 },
        { productId: mug.id, quantity: 2 },
      ],
      [mug],
    );
    expect(priced.lines).toHaveLength(1);
    expect(priced.lines[0].quantity).toBe(3);
    expect(priced.total?.amount).toBe(3000);
  });

  it('prices a product whose id the request spelled in capitals, as one line with its other spelling', () => {
    const mug = product('MUG', 1000);
    const priced = priceBasket(
      [
        { productId: mug.id.toUpperCase(), quantity: 1 },
        { productId: mug.id, quantity: 2 },
      ],
      [mug],
    );
    expect(priced.unknownProductIds).toEqual([]);
    expect(priced.lines.map((line) => [line.productId, line.quantity])).toEqual([[mug.id, 3]]);
    expect(priced.total?.amount).toBe(3000);
  });

  it('reports unknown and inactive products instead of pricing them', () => {
    const mug = product('MUG', 1000);
    const retired = product('OLD', 500);
    retired.deactivate(NOW);
    const missing = '00000000-0000-4000-8000-000000000099';
    const priced = priceBasket(
      [
        { productId: missing, quantity: 1 },
        { productId: retired.id, quantity: 1 },
        { productId: mug.id, quantity: 1 },
      ],
      [mug, retired],
    );
    expect(priced.lines.map((line) => line.productId)).toEqual([mug.id]);
    expect(priced.unknownProductIds).toEqual([missing]);
    expect(priced.inactiveProductIds).toEqual([retired.id]);
  });

  it('has no total when nothing could be priced', () => {
    const priced = priceBasket(
      [{ productId: '00000000-0000-4000-8000-000000000001', quantity: 1 }],
      [],
    );
    expect(priced.lines).toEqual([]);
    expect(priced.total).toBeUndefined();
  });

  it('refuses a basket whose products are priced in different currencies', () => {
    const mug = product('MUG', 1000, 'EUR');
    const cap = product('CAP', 1000, 'USD');
    expect(() =>
      priceBasket(
        [
          { productId: mug.id, quantity: 1 },
          { productId: cap.id, quantity: 1 },
        ],
        [mug, cap],
      ),
    ).toThrow(MixedCurrenciesError);
  });
});

describe('priceHeldBasket', () => {
  it('prices a held line whose product went off sale since, and reports only unknown ids', () => {
    const mug = product('MUG', 1000);
    const retired = product('OLD', 500);
    retired.deactivate(NOW);
    const missing = '00000000-0000-4000-8000-000000000099';
    const priced = priceHeldBasket(
      [
        { productId: retired.id, quantity: 2 },
        { productId: mug.id, quantity: 1 },
        { productId: missing, quantity: 1 },
      ],
      [mug, retired],
    );
    expect(priced.lines.map((line) => [line.sku, line.lineTotal.amount])).toEqual([
      ['OLD', 1000],
      ['MUG', 1000],
    ]);
    expect(priced.total?.amount).toBe(2000);
    expect(priced.inactiveProductIds).toEqual([]);
    expect(priced.unknownProductIds).toEqual([missing]);
  });
});
