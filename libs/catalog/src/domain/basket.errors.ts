import { CATALOG_ERROR_CODES } from '#lib/contracts';
import { DomainError } from '#lib/kernel';

export class MixedCurrenciesError extends DomainError {
  readonly code = CATALOG_ERROR_CODES.MIXED_CURRENCIES;
  readonly kind = 'unprocessable';

  constructor(currencies: readonly string[]) {
    super(`the basket mixes currencies (${currencies.join(', ')}); one order takes one currency`, {
      currencies,
    });
  }
}
