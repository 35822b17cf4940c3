import { Money } from './money.js';
import { CurrencyMismatchError, InvalidAmountError, InvalidCurrencyError } from './money.errors.js';

const eur = (amount: number): Money => Money.of(amount, 'EUR');
const usd = (amount: number): Money => Money.of(amount, 'USD');

describe('Money', () => {
  it.each([
    ['adds', eur(1999).add(eur(1)), eur(2000)],
    ['adds zero', eur(5).add(Money.zero('EUR')), eur(5)],
    ['subtracts', eur(1000).subtract(eur(1)), eur(999)],
    ['subtracts below zero', eur(1).subtract(eur(3)), eur(-2)],
    ['multiplies by a quantity', eur(1999).multiply(3), eur(5997)],
    ['multiplies by zero', eur(1999).multiply(0), eur(0)],
    ['sums a list', Money.sum([eur(1), eur(2), eur(3)]), eur(6)],
    ['sums a single amount', Money.sum([usd(42)]), usd(42)],
    ['keeps yen in whole yen', Money.of(500, 'JPY').multiply(2), Money.of(1000, 'JPY')],
  ])('%s', (_case, actual, expected) => {
    expect(actual.equals(expected)).toBe(true);
    expect(actual.toJSON()).toEqual(expected.toJSON());
  });

  it.each([
    ['adding', () => eur(1).add(usd(1))],
    ['subtracting', () => eur(1).subtract(usd(1))],
    ['summing', () => Money.sum([eur(1), eur(2), usd(3)])],
  ])('refuses to mix currencies when %s', (_case, operation) => {
    expect(operation).toThrow(CurrencyMismatchError);
  });

  it.each([
    ['a lower-case code', 'eur'],
    ['an unknown code', 'ABC'],
    ['a code of the wrong length', 'EURO'],
    ['an empty code', ''],
  ])('refuses %s as a currency', (_case, currency) => {
    expect(() => Money.of(1, currency)).toThrow(InvalidCurrencyError);
  });

  it.each([
    ['a fraction of a minor unit', () => eur(19.5)],
    ['NaN', () => eur(Number.NaN)],
    ['infinity', () => eur(Number.POSITIVE_INFINITY)],
    ['an amount past the safe integer range', () => eur(2 ** 53)],
    ['a sum that leaves the safe integer range', () => eur(Number.MAX_SAFE_INTEGER).add(eur(1))],
    ['a product that leaves the safe integer range', () => eur(2 ** 40).multiply(2 ** 20)],
    ['a fractional factor', () => eur(100).multiply(1.5)],
  ])('refuses %s', (_case, operation) => {
    expect(operation).toThrow(InvalidAmountError);
  });

  it('treats amounts as equal only when currency and amount match', () => {
    expect(eur(100).equals(eur(100))).toBe(true);
    expect(eur(100).equals(usd(100))).toBe(false);
    expect(eur(100).equals(eur(101))).toBe(false);
  });

  it('is immutable: operations return new amounts', () => {
    const price = eur(100);
    price.add(eur(1));
    price.multiply(3);
    expect(price.amount).toBe(100);
  });
});
