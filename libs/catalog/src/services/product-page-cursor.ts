import { DomainError } from '#lib/kernel';
import type { Product } from '../domain/product.js';
import {
  PRODUCT_SORT_FIELDS,
  type ProductPosition,
  type ProductSortField,
  type SortOrder,
} from '../repositories/product.repository.js';

export class InvalidPageCursorError extends DomainError {
  readonly code = 'CATALOG.INVALID_CURSOR';
  readonly kind = 'validation';

  constructor(reason: string) {
    super(`The page cursor ${reason}; start again from the first page`);
  }
}

/** What a cursor remembers: the listing it belongs to and the last item's sort key. */
export interface PageCursorState {
  readonly sort: ProductSortField;
  readonly order: SortOrder;
  readonly text?: string;
  readonly position: ProductPosition;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function sortValue(product: Product, sort: ProductSortField): string | number {
  switch (sort) {
    case 'name':
      return product.name;
    case 'price':
      return product.price.amount;
    case 'createdAt':
      return product.createdAt.toISOString();
  }
}

function validValue(sort: ProductSortField, value: unknown): boolean {
  switch (sort) {
    case 'name':
      return typeof value === 'string';
    case 'price':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'createdAt':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
  }
}

/**
 * Cursors are opaque to clients (base64url of JSON) so the format can change without breaking
 * them. They carry the last item's sort key, so pages stay stable under concurrent inserts, and
 * the listing they continue, so a cursor cannot be replayed against another sort or filter.
 */
export const ProductPageCursor = {
  after(product: Product, listing: Omit<PageCursorState, 'position'>): string {
    const state: PageCursorState = {
      ...listing,
      position: { value: sortValue(product, listing.sort), id: product.id },
    };
    return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
  },

  decode(cursor: string): PageCursorState {
    let state: unknown;
    try {
      state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidPageCursorError('is not valid');
    }
    const { sort, order, text, position } = (state ?? {}) as Partial<Record<string, unknown>>;
    const { value, id } = (position ?? {}) as Partial<Record<string, unknown>>;
    if (
      !PRODUCT_SORT_FIELDS.includes(sort as ProductSortField) ||
      (order !== 'asc' && order !== 'desc') ||
      (text !== undefined && typeof text !== 'string') ||
      typeof id !== 'string' ||
      !UUID.test(id) ||
      !validValue(sort as ProductSortField, value)
    ) {
      throw new InvalidPageCursorError('is not valid');
    }
    return {
      sort: sort as ProductSortField,
      order,
      ...(text !== undefined && { text }),
      position: { value: value as string | number, id },
    };
  },
};
