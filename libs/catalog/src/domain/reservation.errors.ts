import { CATALOG_ERROR_CODES } from '#lib/contracts';
import { DomainError } from '#lib/kernel';

/**
 * One line of a reservation that stock cannot serve. Deliberately without the units in stock: the
 * error travels to the customer, and exact stock levels are the shop's business, not theirs.
 */
export interface StockShortage {
  readonly productId: string;
  readonly requested: number;
}

export class InsufficientStockError extends DomainError {
  readonly code = CATALOG_ERROR_CODES.INSUFFICIENT_STOCK;
  readonly kind = 'conflict';

  constructor(readonly shortages: readonly StockShortage[]) {
    super(
      `not enough stock for ${shortages.map((shortage) => shortage.productId).join(', ')}; nothing was reserved`,
      { productIds: shortages.map((shortage) => shortage.productId), shortages },
    );
  }
}

export class ProductsUnavailableError extends DomainError {
  readonly code = CATALOG_ERROR_CODES.PRODUCTS_UNAVAILABLE;
  readonly kind = 'unprocessable';

  constructor(unknownProductIds: readonly string[], inactiveProductIds: readonly string[]) {
    super(
      `products not on sale: ${[...unknownProductIds, ...inactiveProductIds].join(', ')}; nothing was reserved`,
      { unknownProductIds, inactiveProductIds },
    );
  }
}

export class ReservationMismatchError extends DomainError {
  readonly code = CATALOG_ERROR_CODES.RESERVATION_MISMATCH;
  readonly kind = 'conflict';

  constructor(orderId: string) {
    super(
      `order ${orderId} already holds a reservation with other lines; a retry must repeat the first request`,
      { orderId },
    );
  }
}

export class ReservationReleasedError extends DomainError {
  readonly code = CATALOG_ERROR_CODES.RESERVATION_RELEASED;
  readonly kind = 'conflict';

  constructor(orderId: string) {
    super(`the reservation of order ${orderId} was released; it cannot be made again`, {
      orderId,
    });
  }
}
