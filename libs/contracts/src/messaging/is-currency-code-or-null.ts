import { isISO4217CurrencyCode, ValidateBy, type ValidationOptions } from 'class-validator';

/** The constraint's name: the AsyncAPI generator maps it to `{ type: [string, null] }`. */
export const IS_CURRENCY_CODE_OR_NULL = 'isCurrencyCodeOrNull';

/** An ISO 4217 code, or null where nothing was priced (a field always present, never omitted). */
export function IsCurrencyCodeOrNull(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_CURRENCY_CODE_OR_NULL,
      validator: {
        validate: (value: unknown) => value === null || isISO4217CurrencyCode(value),
        defaultMessage: () => '$property must be an ISO 4217 currency code or null',
      },
    },
    options,
  );
}
