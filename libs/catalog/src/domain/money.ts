import { CurrencyMismatchError, InvalidAmountError, InvalidCurrencyError } from './money.errors.js';

// The runtime's ISO 4217 list, so no table of our own goes stale.
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

function checkedAmount(amount: number): number {
  if (!Number.isSafeInteger(amount)) throw new InvalidAmountError(amount);
  return amount;
}

/**
 * An amount of money in minor units (cents for EUR, yen for JPY) of one ISO 4217 currency.
 * Integers only, so no binary rounding ever creeps into a price or a total; arithmetic never mixes
 * currencies and never leaves the safe integer range silently.
 */
export class Money {
  private constructor(
    /** Minor units: 1999 is 19.99 EUR. */
    readonly amount: number,
    readonly currency: string,
  ) {}

  static of(amount: number, currency: string): Money {
    if (!CURRENCIES.has(currency)) throw new InvalidCurrencyError(currency);
    return new Money(checkedAmount(amount), currency);
  }

  static zero(currency: string): Money {
    return Money.of(0, currency);
  }

  /** The sum of a non-empty list; throws CurrencyMismatchError if the list mixes currencies. */
  static sum(amounts: readonly [Money, ...Money[]]): Money {
    return amounts.reduce((total, amount) => total.add(amount));
  }

  add(other: Money): Money {
    this.assertSameCurrency(other);
    return new Money(checkedAmount(this.amount + other.amount), this.currency);
  }

  subtract(other: Money): Money {
    this.assertSameCurrency(other);
    return new Money(checkedAmount(this.amount - other.amount), this.currency);
  }

  /** By a whole factor, such as a quantity: fractional factors would need a rounding rule. */
  multiply(factor: number): Money {
    if (!Number.isSafeInteger(factor)) throw new InvalidAmountError(factor);
    return new Money(checkedAmount(this.amount * factor), this.currency);
  }

  isNegative(): boolean {
    return this.amount < 0;
  }

  equals(other: Money): boolean {
    return this.amount === other.amount && this.currency === other.currency;
  }

  toJSON(): { amount: number; currency: string } {
    return { amount: this.amount, currency: this.currency };
  }

  toString(): string {
    return `${this.amount} ${this.currency} (minor units)`;
  }

  private assertSameCurrency(other: Money): void {
    if (other.currency !== this.currency) {
      throw new CurrencyMismatchError(this.currency, other.currency);
    }
  }
}
