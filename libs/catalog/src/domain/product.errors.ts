import { CATALOG_ERROR_CODES } from '#lib/contracts';
import { DomainError } from '#lib/kernel';

export class InvalidSkuError extends DomainError {
  readonly code = 'CATALOG.INVALID_SKU';
  readonly kind = 'validation';

  constructor(sku: string) {
    super(
      `"${sku}" is not a valid SKU: 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit`,
      { sku },
    );
  }
}

export class InvalidProductError extends DomainError {
  readonly code = 'CATALOG.INVALID_PRODUCT';
  readonly kind = 'validation';

  constructor(field: string, reason: string) {
    super(`${field} ${reason}`, { field });
  }
}

export class SkuTakenError extends DomainError {
  readonly code = 'CATALOG.SKU_TAKEN';
  readonly kind = 'conflict';

  constructor(sku: string) {
    super(`a product with SKU ${sku} already exists`, { sku });
  }
}

export class ProductNotFoundError extends DomainError {
  readonly code = CATALOG_ERROR_CODES.PRODUCT_NOT_FOUND;
  readonly kind = 'not_found';

  constructor(productId: string) {
    super(`product ${productId} was not found`, { productId });
  }
}

/**
 * The product changed since the caller read it: the caller's edit was based on a stale copy and
 * would silently undo the other change. It carries the current version so the caller can re-read.
 */
export class VersionConflictError extends DomainError {
  readonly code = 'CATALOG.VERSION_CONFLICT';
  readonly kind = 'conflict';

  constructor(productId: string, expectedVersion: number, currentVersion: number) {
    super(
      `product ${productId} is at version ${currentVersion}, not ${expectedVersion}; read it again and reapply the change`,
      { productId, expectedVersion, currentVersion },
    );
  }
}
