import { Product, type ProductChanges } from '../domain/product.js';
import { SkuTakenError } from '../domain/product.errors.js';
import type { StockLine } from '../domain/stock-lines.js';
import {
  ProductRepository,
  type ProductSearch,
  type StockFailure,
  type StockWithdrawal,
} from '../repositories/product.repository.js';

const copy = (product: Product): Product => Product.restore(product.toSnapshot());

const compare = (left: string | number, right: string | number): number =>
  left < right ? -1 : left > right ? 1 : 0;

/** Test double of the products table, with the same rules as the SQL adapter. */
export class InMemoryProductRepository extends ProductRepository {
  private rows = new Map<string, Product>();
  /** Loads by id so far: what the cache is meant to save. */
  findByIdCalls = 0;
  /** While set, findById waits for it: lets a test hold loads in flight. */
  gate?: Promise<void>;
  /** Writes that land between a service's read and its save, to simulate a concurrent admin. */
  beforeSave?: () => void;

  async insert(product: Product): Promise<void> {
    if ([...this.rows.values()].some((row) => row.sku === product.sku)) {
      throw new SkuTakenError(product.sku);
    }
    this.rows.set(product.id, copy(product));
  }

  async findById(id: string): Promise<Product | null> {
    this.findByIdCalls += 1;
    if (this.gate) await this.gate;
    const row = this.rows.get(id);
    return row ? copy(row) : null;
  }

  async findByIds(ids: readonly string[]): Promise<Product[]> {
    return ids.flatMap((id) => {
      const row = this.rows.get(id);
      return row ? [copy(row)] : [];
    });
  }

  async saveIfVersion(product: Product, expectedVersion: number): Promise<boolean> {
    this.beforeSave?.();
    const row = this.rows.get(product.id);
    if (!row || row.version !== expectedVersion) return false;
    this.rows.set(product.id, copy(product));
    return true;
  }

  async search(search: ProductSearch): Promise<Product[]> {
    const words = search.text?.toLowerCase().split(/\s+/).filter(Boolean) ?? [];
    const key = (product: Product): string | number =>
      search.sort === 'name'
        ? product.name
        : search.sort === 'price'
          ? product.price.amount
          : product.createdAt.toISOString();
    const direction = search.order === 'asc' ? 1 : -1;
    const ordered = (left: Product, right: Product): number =>
      direction * (compare(key(left), key(right)) || compare(left.id, right.id));
    return [...this.rows.values()]
      .filter((product) => product.active)
      .filter((product) =>
        words.every((word) =>
          `${product.name} ${product.description}`.toLowerCase().includes(word),
        ),
      )
      .filter(
        (product) =>
          !search.after ||
          direction *
            (compare(key(product), search.after.value) || compare(product.id, search.after.id)) >
            0,
      )
      .sort(ordered)
      .slice(0, search.limit)
      .map(copy);
  }

  async withdrawStock(lines: readonly StockLine[], now: Date): Promise<StockWithdrawal> {
    const failures: StockFailure[] = [];
    const products: Product[] = [];
    for (const line of lines) {
      const row = this.rows.get(line.productId);
      if (!row) failures.push({ productId: line.productId, reason: 'unknown' });
      else if (!row.active) failures.push({ productId: line.productId, reason: 'inactive' });
      else if (!row.canSupply(line.quantity)) {
        failures.push({
          productId: line.productId,
          reason: 'insufficient',
          requested: line.quantity,
        });
      } else {
        row.withdraw(line.quantity, now);
        products.push(copy(row));
      }
    }
    // As the SQL adapter: with a refused line no products are returned (the caller rolls back).
    return failures.length > 0 ? { products: [], failures } : { products, failures };
  }

  async putBackStock(lines: readonly StockLine[], now: Date): Promise<void> {
    for (const line of lines) this.rows.get(line.productId)?.putBack(line.quantity, now);
  }

  /** For the transactional unit of work fake. */
  snapshot(): () => void {
    const saved = new Map([...this.rows].map(([id, product]) => [id, copy(product)]));
    return () => {
      this.rows = saved;
    };
  }

  /** A write that bypasses services, as another process's would. */
  reviseStored(id: string, changes: ProductChanges, now: Date): void {
    this.rows.get(id)?.revise(changes, now);
  }

  stockOf(id: string): number | undefined {
    return this.rows.get(id)?.stock;
  }
}
