/** One formatter per currency: building an Intl.NumberFormat costs far more than using one. */
const formats = new Map<string, { format: Intl.NumberFormat; decimals: number }>();

/**
 * Amounts travel in minor units (cents); a customer reads them in major units with the currency's
 * own number of decimals (2 for EUR, 0 for JPY, 3 for KWD), which Intl knows.
 */
export function formatMoney(minorUnits: number, currency: string): string {
  let cached = formats.get(currency);
  if (!cached) {
    const format = new Intl.NumberFormat('en-GB', { style: 'currency', currency });
    cached = { format, decimals: format.resolvedOptions().maximumFractionDigits ?? 2 };
    // Currency codes are validated ISO 4217 codes: a few hundred at most.
    formats.set(currency, cached);
  }
  return cached.format.format(minorUnits / 10 ** cached.decimals);
}
