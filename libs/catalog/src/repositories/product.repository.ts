import type { Product } from '../domain/product.js';
import type { StockLine } from '../domain/stock-lines.js';

export const PRODUCT_SORT_FIELDS = ['name', 'price', 'createdAt'] as const;
export type ProductSortField = (typeof PRODUCT_SORT_FIELDS)[number];
export type SortOrder = 'asc' | 'desc';

/** Where a page starts: after the product with this sort value (name, price amount or ISO time) and id. */
export interface ProductPosition {
  readonly value: string | number;
  readonly id: string;
}

export interface ProductSearch {
  /** Full-text filter over name and description, in web search syntax (`mug -red "tea cup"`). */
  readonly text?: string;
  readonly sort: ProductSortField;
  readonly order: SortOrder;
  readonly after?: ProductPosition;
  readonly limit: number;
}

/** Why a line of a stock withdrawal could not be served (not the units in stock: see StockShortage). */
export type StockFailure =
  | { readonly productId: string; readonly reason: 'unknown' | 'inactive' }
  | {
      readonly productId: string;
      readonly reason: 'insufficient';
      readonly requested: number;
    };

/** What a stock withdrawal did: the products it took every line from, or why lines failed. */
export interface StockWithdrawal {
  /** The products as the withdrawal left them, in no particular order; empty when a line failed. */
  readonly products: readonly Product[];
  readonly failures: readonly StockFailure[];
}

/** Products persistence port; it is also the DI token. */
export abstract class ProductRepository {
  /** Throws SkuTakenError when another product has the SKU, even under concurrent inserts. */
  abstract insert(product: Product): Promise<void>;

  /** From the primary: its answer feeds edits and the shared product cache, so it must not lag. */
  abstract findById(id: string): Promise<Product | null>;

  abstract findByIds(ids: readonly string[]): Promise<Product[]>;

  /**
   * Saves an edited product if nobody saved another version meanwhile (the row is still at
   * `expectedVersion`); false when it was not.
   */
  abstract saveIfVersion(product: Product, expectedVersion: number): Promise<boolean>;

  /**
   * Products on sale matching the search, in its order (ties broken by id). May come from a read
   * replica, up to its replication lag behind the primary (ADR 0040).
   */
  abstract search(search: ProductSearch): Promise<Product[]>;

  /**
   * Takes every line's quantity off stock, each only if the product is on sale and has enough.
   * Returns the products it took from (priced as they stand, locked until the commit) and the lines
   * that could not be served; the caller rolls back when there are any. Must be called inside a
   * transaction, with the lines sorted by product id (normaliseLines).
   */
  abstract withdrawStock(lines: readonly StockLine[], now: Date): Promise<StockWithdrawal>;

  /** Puts the lines' quantities back on stock (inside the release's transaction). */
  abstract putBackStock(lines: readonly StockLine[], now: Date): Promise<void>;
}
