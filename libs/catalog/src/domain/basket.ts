import { MixedCurrenciesError } from './basket.errors.js';
import { Money } from './money.js';
import type { Product } from './product.js';
import { normaliseLines, type StockLine } from './stock-lines.js';

export interface PricedLine {
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly unitPrice: Money;
  readonly quantity: number;
  readonly lineTotal: Money;
}

export interface PricedBasket {
  /** Lines of products on sale; the total is absent when there is none. */
  readonly lines: readonly PricedLine[];
  readonly total?: Money;
  readonly unknownProductIds: readonly string[];
  readonly inactiveProductIds: readonly string[];
}

/**
 * Prices a basket at the products' current prices. Products that do not exist or are off sale are
 * reported, not priced, so the caller decides; a basket whose products carry different currencies
 * cannot be one order and is refused.
 */
export function priceBasket(
  items: readonly StockLine[],
  products: readonly Product[],
): PricedBasket {
  return priceLines(items, products, (product) => product.active);
}

/**
 * Prices a basket whose stock its order already holds (a repeated reservation): every existing
 * product is priced, on sale or not any more, because the sale was agreed when the stock was taken.
 */
export function priceHeldBasket(
  items: readonly StockLine[],
  products: readonly Product[],
): PricedBasket {
  return priceLines(items, products, () => true);
}

function priceLines(
  items: readonly StockLine[],
  products: readonly Product[],
  sellable: (product: Product) => boolean,
): PricedBasket {
  const byId = new Map(products.map((product) => [product.id, product]));
  // Request order, one line per product (normaliseLines sorts, so keep first appearance here).
  const quantities = new Map(normaliseLines(items).map((line) => [line.productId, line.quantity]));
  const requested = [...new Set(items.map((item) => item.productId.toLowerCase()))];

  const unknownProductIds = requested.filter((id) => !byId.has(id));
  const inactiveProductIds = requested.filter((id) => {
    const product = byId.get(id);
    return product !== undefined && !sellable(product);
  });
  const lines: PricedLine[] = requested.flatMap((id) => {
    const product = byId.get(id);
    if (!product || !sellable(product)) return [];
    const quantity = quantities.get(id) ?? 0;
    return [
      {
        productId: id,
        sku: product.sku,
        name: product.name,
        unitPrice: product.price,
        quantity,
        lineTotal: product.price.multiply(quantity),
      },
    ];
  });

  const currencies = [...new Set(lines.map((line) => line.unitPrice.currency))];
  if (currencies.length > 1) throw new MixedCurrenciesError(currencies);
  const [first, ...rest] = lines.map((line) => line.lineTotal);
  return {
    lines,
    ...(first && { total: Money.sum([first, ...rest]) }),
    unknownProductIds,
    inactiveProductIds,
  };
}
