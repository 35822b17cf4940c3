import {
  InsufficientStockError,
  ProductsUnavailableError,
  type StockShortage,
} from '../domain/reservation.errors.js';
import type { StockFailure } from '../repositories/product.repository.js';

/**
 * The domain error for a refused stock withdrawal: products that are not on sale come first (the
 * basket cannot be ordered at all), then the shortages (it could be, with smaller quantities).
 * A shortage names the line, never the units in stock: the reply reaches customers.
 */
export function stockFailureError(failures: readonly StockFailure[]): Error {
  const ids = (reason: StockFailure['reason']): string[] =>
    failures.filter((failure) => failure.reason === reason).map((failure) => failure.productId);
  const unknown = ids('unknown');
  const inactive = ids('inactive');
  if (unknown.length > 0 || inactive.length > 0) {
    return new ProductsUnavailableError(unknown, inactive);
  }
  const shortages = failures.flatMap((failure): StockShortage[] =>
    failure.reason === 'insufficient'
      ? [{ productId: failure.productId, requested: failure.requested }]
      : [],
  );
  return new InsufficientStockError(shortages);
}
