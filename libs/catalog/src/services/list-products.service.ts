import { Injectable } from '@nestjs/common';
import type { Product } from '../domain/product.js';
import {
  ProductRepository,
  type ProductSortField,
  type SortOrder,
} from '../repositories/product.repository.js';
import { InvalidPageCursorError, ProductPageCursor } from './product-page-cursor.js';

export interface ProductListing {
  /** Full-text filter; blank means no filter. */
  readonly text?: string;
  readonly sort: ProductSortField;
  readonly order: SortOrder;
  readonly limit: number;
  readonly cursor?: string;
}

export interface ProductPage {
  readonly products: readonly Product[];
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

/** Public listing of products on sale, filtered by text, sorted, with keyset pagination. */
@Injectable()
export class ListProductsService {
  constructor(private readonly products: ProductRepository) {}

  async page(listing: ProductListing): Promise<ProductPage> {
    const text = listing.text?.trim() || undefined;
    const identity = {
      sort: listing.sort,
      order: listing.order,
      ...(text !== undefined && { text }),
    };
    const after =
      listing.cursor === undefined ? undefined : ProductPageCursor.decode(listing.cursor);
    if (
      after &&
      (after.sort !== identity.sort || after.order !== identity.order || after.text !== text)
    ) {
      throw new InvalidPageCursorError('belongs to another sort order or filter');
    }
    // One extra row tells whether another page exists without a count query.
    const found = await this.products.search({
      ...identity,
      ...(after && { after: after.position }),
      limit: listing.limit + 1,
    });
    const products = found.slice(0, listing.limit);
    const last = products.at(-1);
    return found.length > listing.limit && last
      ? { products, nextCursor: ProductPageCursor.after(last, identity) }
      : { products };
  }
}
