import { DomainError } from '#lib/kernel';
import type { Product } from '../domain/product.js';

export class PreconditionRequiredError extends DomainError {
  readonly code = 'CATALOG.PRECONDITION_REQUIRED';
  readonly kind = 'validation';

  constructor() {
    super(
      'An edit must name the version it is based on: send the ETag as If-Match, or a version field',
    );
  }
}

export class InvalidPreconditionError extends DomainError {
  readonly code = 'CATALOG.INVALID_PRECONDITION';
  readonly kind = 'validation';

  constructor(reason: string) {
    super(`If-Match ${reason}`);
  }
}

// `"<product id>.<version>"`, strong: it names one exact representation.
const ETAG = /^"([0-9a-f-]{36})\.([1-9][0-9]{0,9})"$/i;

/**
 * ETags of products: the id and the version, which grows with every change, so equal tags mean
 * equal representations. The same tag serves conditional GETs (If-None-Match → 304) and
 * optimistic concurrency on edits (If-Match).
 */
export const ProductETag = {
  of(product: Pick<Product, 'id' | 'version'>): string {
    return `"${product.id}.${product.version}"`;
  },

  /** RFC 9110 If-None-Match: `*` or a list of tags, compared weakly (a W/ prefix is ignored). */
  matchesNoneMatch(header: string | undefined, etag: string): boolean {
    if (header === undefined) return false;
    if (header.trim() === '*') return true;
    return header
      .split(',')
      .map((tag) => tag.trim().replace(/^W\//, ''))
      .includes(etag);
  },

  /**
   * The version an edit is based on, from If-Match or the body's `version`. If-Match must be one
   * strong tag of this product; when both are given they must agree.
   */
  expectedVersion(
    productId: string,
    ifMatch: string | undefined,
    bodyVersion: number | undefined,
  ): number {
    if (ifMatch === undefined) {
      if (bodyVersion === undefined) throw new PreconditionRequiredError();
      return bodyVersion;
    }
    const match = ETAG.exec(ifMatch.trim());
    if (!match)
      throw new InvalidPreconditionError('must be one ETag of this product, as sent by GET');
    if (match[1].toLowerCase() !== productId.toLowerCase()) {
      throw new InvalidPreconditionError('carries the ETag of another product');
    }
    const version = Number(match[2]);
    if (bodyVersion !== undefined && bodyVersion !== version) {
      throw new InvalidPreconditionError(
        `names version ${version} but the body names ${bodyVersion}`,
      );
    }
    return version;
  },

  /** For a deactivation, where the precondition is optional. */
  optionalVersion(productId: string, ifMatch: string | undefined): number | undefined {
    return ifMatch === undefined
      ? undefined
      : ProductETag.expectedVersion(productId, ifMatch, undefined);
  },
};
