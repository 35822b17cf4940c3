/**
 * The catalog gave no answer in time (timeouts, catalog down, breaker open). Not a domain error:
 * the same request may succeed a moment later, which `transient` tells retry policies.
 */
export class CatalogUnavailableError extends Error {
  readonly code = 'ORDERS.CATALOG_UNAVAILABLE';
  readonly transient = true;
  /** Named in the 503 problem the platform answers with. */
  readonly dependency = 'catalog';

  constructor(operation: string, options?: ErrorOptions) {
    super(`the catalog did not answer "${operation}"; try again later`, options);
    this.name = 'CatalogUnavailableError';
  }
}
