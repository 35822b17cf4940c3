import { randomUUID } from 'node:crypto';
import { Money } from './money.js';
import { InvalidProductError, VersionConflictError } from './product.errors.js';
import { Sku } from './sku.js';

export const MAX_NAME_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 5_000;
/** Fits the column (Postgres integer) with room to add a delivery. */
export const MAX_STOCK = 1_000_000_000;

/** Everything persisted about a product; the repository maps it to and from rows. */
export interface ProductSnapshot {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly price: Money;
  readonly stock: number;
  readonly active: boolean;
  /** Starts at 1 and grows with every change, stock movements included. */
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What an admin may change; absent fields stay as they are. */
export interface ProductChanges {
  readonly name?: string;
  readonly description?: string;
  readonly price?: Money;
  readonly stock?: number;
  readonly active?: boolean;
}

function checkedName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_NAME_LENGTH) {
    throw new InvalidProductError('name', `must be 1 to ${MAX_NAME_LENGTH} characters`);
  }
  return trimmed;
}

function checkedDescription(description: string): string {
  const trimmed = description.trim();
  if (trimmed.length > MAX_DESCRIPTION_LENGTH) {
    throw new InvalidProductError(
      'description',
      `must be at most ${MAX_DESCRIPTION_LENGTH} characters`,
    );
  }
  return trimmed;
}

function checkedPrice(price: Money): Money {
  if (price.isNegative()) throw new InvalidProductError('price', 'must not be negative');
  return price;
}

function checkedStock(stock: number): number {
  if (!Number.isInteger(stock) || stock < 0 || stock > MAX_STOCK) {
    throw new InvalidProductError('stock', `must be a whole number from 0 to ${MAX_STOCK}`);
  }
  return stock;
}

function checkedQuantity(quantity: number): number {
  if (!Number.isInteger(quantity) || quantity < 1) {
    throw new InvalidProductError('quantity', 'must be a whole number of at least 1');
  }
  return quantity;
}

/**
 * Something the shop sells: identity (id, SKU), what shoppers see (name, description, price) and
 * how many units are on hand. Stock is never negative. Every change raises `version`, which guards
 * admins' edits against lost updates and names the representation in ETags.
 */
export class Product {
  private constructor(private state: ProductSnapshot) {}

  static create(input: {
    sku: string;
    name: string;
    description?: string;
    price: Money;
    stock: number;
    now: Date;
  }): Product {
    return new Product({
      id: randomUUID(),
      sku: Sku.parse(input.sku),
      name: checkedName(input.name),
      description: checkedDescription(input.description ?? ''),
      price: checkedPrice(input.price),
      stock: checkedStock(input.stock),
      active: true,
      version: 1,
      createdAt: input.now,
      updatedAt: input.now,
    });
  }

  static restore(snapshot: ProductSnapshot): Product {
    return new Product({ ...snapshot });
  }

  get id(): string {
    return this.state.id;
  }

  get sku(): string {
    return this.state.sku;
  }

  get name(): string {
    return this.state.name;
  }

  get description(): string {
    return this.state.description;
  }

  get price(): Money {
    return this.state.price;
  }

  get stock(): number {
    return this.state.stock;
  }

  get active(): boolean {
    return this.state.active;
  }

  get version(): number {
    return this.state.version;
  }

  get createdAt(): Date {
    return this.state.createdAt;
  }

  get updatedAt(): Date {
    return this.state.updatedAt;
  }

  /** Throws VersionConflictError unless the caller's copy is the current one. */
  assertVersion(expectedVersion: number): void {
    if (expectedVersion !== this.state.version) {
      throw new VersionConflictError(this.id, expectedVersion, this.state.version);
    }
  }

  /** Applies an admin's edit; returns false (and stays at its version) when nothing changed. */
  revise(changes: ProductChanges, now: Date): boolean {
    const next: ProductSnapshot = {
      ...this.state,
      ...(changes.name !== undefined && { name: checkedName(changes.name) }),
      ...(changes.description !== undefined && {
        description: checkedDescription(changes.description),
      }),
      ...(changes.price !== undefined && { price: checkedPrice(changes.price) }),
      ...(changes.stock !== undefined && { stock: checkedStock(changes.stock) }),
      ...(changes.active !== undefined && { active: changes.active }),
    };
    const changed =
      next.name !== this.state.name ||
      next.description !== this.state.description ||
      !next.price.equals(this.state.price) ||
      next.stock !== this.state.stock ||
      next.active !== this.state.active;
    if (changed) this.touch(next, now);
    return changed;
  }

  /** Takes the product off sale; its data stays for orders that refer to it. False if it already was. */
  deactivate(now: Date): boolean {
    if (!this.state.active) return false;
    this.touch({ ...this.state, active: false }, now);
    return true;
  }

  /** Whether `quantity` units can be reserved now: on sale and enough on hand. */
  canSupply(quantity: number): boolean {
    return this.state.active && this.state.stock >= checkedQuantity(quantity);
  }

  /**
   * Takes units off stock for a reservation. The database adapter does the same in one guarded
   * UPDATE so that concurrent reservations cannot overdraw; this is the rule it implements.
   */
  withdraw(quantity: number, now: Date): void {
    if (!this.canSupply(quantity)) {
      throw new InvalidProductError('stock', `cannot supply ${quantity} of ${this.state.stock}`);
    }
    this.touch({ ...this.state, stock: this.state.stock - quantity }, now);
  }

  /** Puts released units back, whether or not the product is still on sale. */
  putBack(quantity: number, now: Date): void {
    this.touch(
      { ...this.state, stock: checkedStock(this.state.stock + checkedQuantity(quantity)) },
      now,
    );
  }

  toSnapshot(): ProductSnapshot {
    return { ...this.state };
  }

  private touch(next: ProductSnapshot, now: Date): void {
    this.state = { ...next, version: this.state.version + 1, updatedAt: now };
  }
}
