import { MAX_LINE_QUANTITY, MAX_LINES } from '#lib/contracts';
import { InvalidOrderError } from './order.errors.js';

/** What the customer asked for: a quantity of a product. */
export interface RequestedItem {
  readonly productId: string;
  readonly quantity: number;
}

/**
 * One entry per product, quantities of repeated products added, in the order products first
 * appear: an order has one line per product, and the catalog prices and reserves per product.
 * Ids are lower-cased: a uuid in capitals names the same product (the catalog agrees).
 */
export function mergeRequestedItems(items: readonly RequestedItem[]): RequestedItem[] {
  if (items.length === 0) throw new InvalidOrderError('An order needs at least one item');
  const quantities = new Map<string, number>();
  for (const { productId: spelled, quantity } of items) {
    const productId = spelled.toLowerCase();
    if (!Number.isInteger(quantity) || quantity < 1) {
      throw new InvalidOrderError(`The quantity of ${productId} must be a positive integer`);
    }
    quantities.set(productId, (quantities.get(productId) ?? 0) + quantity);
  }
  const merged = [...quantities].map(([productId, quantity]) => ({ productId, quantity }));
  if (merged.length > MAX_LINES) {
    throw new InvalidOrderError(`An order holds at most ${MAX_LINES} different products`);
  }
  const tooMany = merged.find((item) => item.quantity > MAX_LINE_QUANTITY);
  if (tooMany) {
    throw new InvalidOrderError(
      `At most ${MAX_LINE_QUANTITY} units of ${tooMany.productId} fit in one order`,
    );
  }
  return merged;
}
