/** The catalog's tunables, from CatalogModule options; it is also the DI token. */
export class CatalogSettings {
  static readonly DEFAULT_CACHE_TTL_SECONDS = 60;
  static readonly DEFAULT_CACHE_OPERATION_TIMEOUT_MS = 200;
  static readonly DEFAULT_HTTP_MAX_AGE_SECONDS = 30;

  constructor(
    /** How long a product stays in the shared cache; bounds staleness if an invalidation is lost. */
    readonly cacheTtlSeconds: number = CatalogSettings.DEFAULT_CACHE_TTL_SECONDS,
    /** Longest wait for one cache command before the read goes to Postgres instead. */
    readonly cacheOperationTimeoutMs: number = CatalogSettings.DEFAULT_CACHE_OPERATION_TIMEOUT_MS,
    /** `Cache-Control: max-age` of a product response, for browsers and CDNs. */
    readonly httpMaxAgeSeconds: number = CatalogSettings.DEFAULT_HTTP_MAX_AGE_SECONDS,
    /** false: no shared cache at all, every read goes to Postgres. */
    readonly cacheEnabled: boolean = true,
  ) {}
}
