import { DomainError } from '#lib/kernel';

export class InvalidCurrencyError extends DomainError {
  readonly code = 'CATALOG.INVALID_CURRENCY';
  readonly kind = 'validation';

  constructor(currency: string) {
    super(`"${currency}" is not an ISO 4217 currency code`, { currency });
  }
}

export class InvalidAmountError extends DomainError {
  readonly code = 'CATALOG.INVALID_AMOUNT';
  readonly kind = 'validation';

  constructor(amount: number) {
    super(`${amount} is not a whole number of minor units within the safe integer range`, {
      amount,
    });
  }
}

export class CurrencyMismatchError extends DomainError {
  readonly code = 'CATALOG.CURRENCY_MISMATCH';
  readonly kind = 'unprocessable';

  constructor(left: string, right: string) {
    super(`cannot combine amounts in ${left} and ${right}`, { currencies: [left, right] });
  }
}
