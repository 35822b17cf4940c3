/**
 * Amounts travel in minor units (cents); a customer reads them in major units with the currency's
 * own number of decimals (2 for EUR, 0 for JPY, 3 for KWD), which Intl knows.
 */
export function formatMoney(minorUnits: number, currency: string): string {
  const format = new Intl.NumberFormat('en-GB', { style: 'currency', currency });
  const decimals = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** decimals);
}
