import { InvalidProductError } from './product.errors.js';

/** A quantity of one product, as ordered, reserved or priced. */
export interface StockLine {
  readonly productId: string;
  readonly quantity: number;
}

/**
 * One line per product (quantities of repeated products added up), sorted by product id. The
 * order is what makes concurrent reservations lock rows in the same sequence, so they cannot
 * deadlock; one line per product is what makes two requests comparable. Ids are lower-cased: a
 * uuid's case means nothing (Postgres matches either), so two spellings are one product.
 */
export function normaliseLines(lines: readonly StockLine[]): StockLine[] {
  if (lines.length === 0) throw new InvalidProductError('items', 'must hold at least one line');
  const quantities = new Map<string, number>();
  for (const { productId: spelled, quantity } of lines) {
    const productId = spelled.toLowerCase();
    if (!Number.isInteger(quantity) || quantity < 1) {
      throw new InvalidProductError('quantity', 'must be a whole number of at least 1');
    }
    quantities.set(productId, (quantities.get(productId) ?? 0) + quantity);
  }
  return [...quantities]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .sort((left, right) =>
      left.productId < right.productId ? -1 : left.productId > right.productId ? 1 : 0,
    );
}

/** True when both lists hold the same products in the same quantities (both normalised). */
export function sameLines(left: readonly StockLine[], right: readonly StockLine[]): boolean {
  return (
    left.length === right.length &&
    left.every(
      (line, index) =>
        line.productId === right[index].productId && line.quantity === right[index].quantity,
    )
  );
}
