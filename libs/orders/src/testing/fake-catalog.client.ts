import { randomUUID } from 'node:crypto';
import {
  type CatalogCallEffort,
  CatalogClient,
  type PricedBasket,
} from '../clients/catalog.client.js';
import { CatalogUnavailableError } from '../clients/catalog-unavailable.error.js';
import {
  MixedCurrenciesError,
  OutOfStockError,
  ProductsUnavailableError,
} from '../domain/placement.errors.js';
import type { RequestedItem } from '../domain/requested-items.js';

export interface FakeProduct {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly unitPrice: number;
  readonly currency: string;
  stock: number;
  active: boolean;
}

interface FakeReservation {
  readonly items: readonly RequestedItem[];
  released: boolean;
}

type Operation = 'priceAndReserve' | 'release';

/**
 * Test double of the catalog with the catalog's contract: price-and-reserve is all-or-nothing and
 * idempotent per order, release is idempotent and blocks a later reserve of the same order.
 * Tests make it fail per operation, or lose a reserve's reply after the stock was taken.
 */
export class FakeCatalogClient extends CatalogClient {
  private readonly products = new Map<string, FakeProduct>();
  readonly reservations = new Map<string, FakeReservation>();
  readonly calls: string[] = [];
  /** How hard each priceAndReserve was asked to try, in call order. */
  readonly efforts: CatalogCallEffort[] = [];
  /** The next calls of an operation fail with this error until it is cleared. */
  readonly failures: Partial<Record<Operation, Error>> = {};
  /** Reserve takes the stock, then the caller sees no answer (a timeout). */
  loseReserveReply = false;
  /** Runs inside reserve before it takes stock, e.g. to hold a request up. */
  beforeReserve?: () => Promise<void>;
  /** Runs after reserve took the stock, before it answers: holds a request before its save. */
  afterReserve?: () => Promise<void>;
  /** Runs after a release put the stock back, before it answers. */
  afterRelease?: () => Promise<void>;

  addProduct(overrides: Partial<FakeProduct> = {}): FakeProduct {
    const product: FakeProduct = {
      id: randomUUID(),
      sku: `SKU-${this.products.size + 1}`,
      name: `Product ${this.products.size + 1}`,
      unitPrice: 1000,
      currency: 'EUR',
      stock: 10,
      active: true,
      ...overrides,
    };
    this.products.set(product.id, product);
    return product;
  }

  stockOf(productId: string): number {
    return this.products.get(productId)?.stock ?? Number.NaN;
  }

  /** Orders whose stock is held right now. */
  heldReservations(): string[] {
    return [...this.reservations].filter(([, r]) => !r.released).map(([orderId]) => orderId);
  }

  async priceAndReserve(
    orderId: string,
    items: readonly RequestedItem[],
    effort: CatalogCallEffort = 'patient',
  ): Promise<PricedBasket> {
    this.calls.push(`priceAndReserve:${orderId}`);
    this.efforts.push(effort);
    await this.beforeReserve?.();
    this.failIfAsked('priceAndReserve');
    const existing = this.reservations.get(orderId);
    if (existing?.released) throw new Error(`reservation of ${orderId} was released`);
    // A repeat prices the held lines, on sale or not any more, as the catalog does.
    const basket = existing ? this.price(existing.items, { held: true }) : this.price(items);
    if (!existing) {
      const short = items.filter((item) => this.stockOf(item.productId) < item.quantity);
      if (short.length > 0) {
        throw new OutOfStockError(
          short.map((item) => item.productId),
          short.map((item) => ({ productId: item.productId, requested: item.quantity })),
        );
      }
      for (const item of items) {
        (this.products.get(item.productId) as FakeProduct).stock -= item.quantity;
      }
      this.reservations.set(orderId, { items: [...items], released: false });
    }
    await this.afterReserve?.();
    if (this.loseReserveReply) {
      throw new CatalogUnavailableError('catalog.v1.basket.price-and-reserve');
    }
    return basket;
  }

  async releaseStock(orderId: string): Promise<void> {
    this.calls.push(`release:${orderId}`);
    this.failIfAsked('release');
    const reservation = this.reservations.get(orderId);
    if (!reservation) {
      this.reservations.set(orderId, { items: [], released: true });
    } else if (!reservation.released) {
      for (const item of reservation.items) {
        const product = this.products.get(item.productId);
        if (product) product.stock += item.quantity;
      }
      reservation.released = true;
    }
    await this.afterRelease?.();
  }

  private price(items: readonly RequestedItem[], { held = false } = {}): PricedBasket {
    const unknown = items.filter((item) => !this.products.has(item.productId));
    const inactive = items.filter(
      (item) => !held && this.products.get(item.productId)?.active === false,
    );
    if (unknown.length > 0 || inactive.length > 0) {
      throw new ProductsUnavailableError(
        unknown.map((item) => item.productId),
        inactive.map((item) => item.productId),
      );
    }
    const products = items.map((item) => this.products.get(item.productId) as FakeProduct);
    const currencies = [...new Set(products.map((product) => product.currency))];
    if (currencies.length > 1) throw new MixedCurrenciesError(currencies);
    const lines = items.map((item, index) => ({
      productId: item.productId,
      sku: products[index].sku,
      name: products[index].name,
      unitPrice: products[index].unitPrice,
      quantity: item.quantity,
    }));
    return { currency: currencies[0], lines };
  }

  private failIfAsked(operation: Operation): void {
    const failure = this.failures[operation];
    if (failure) throw failure;
  }
}
