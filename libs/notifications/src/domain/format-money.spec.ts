import { formatMoney } from './format-money.js';

describe('formatMoney', () => {
  it.each([
    [1999, 'EUR', '€19.99'],
    [5, 'USD', 'US$0.05'],
    [1999, 'JPY', 'JP¥1,999'],
    [1999, 'KWD', 'KWD 1.999'],
    [0, 'GBP', '£0.00'],
  ])('shows %i minor units of %s as %s', (minor, currency, expected) => {
    expect(formatMoney(minor, currency).replace(/\u00a0/g, ' ')).toBe(expected);
  });
});
