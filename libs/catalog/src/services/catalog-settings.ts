/** The catalog's tunables, from CatalogModule options; it is also the DI token. */
export class CatalogSettings {
  static readonly DEFAULT_CACHE_TTL_SECONDS = 60;
  static readonly DEFAULT_CACHE_OPERATION_TIMEOUT_MS = 200;
  static readonly DEFAULT_HTTP_MAX_AGE_SECONDS = 30;
  static readonly DEFAULT_LOCAL_CACHE_TTL_MS = 2_000;
  static readonly DEFAULT_LOCAL_CACHE_MAX_ENTRIES = 5_000;

  constructor(
    /** How long a product stays in the shared cache; bounds staleness if an invalidation is lost. */
    readonly cacheTtlSeconds: number = CatalogSettings.DEFAULT_CACHE_TTL_SECONDS,
    /** Longest wait for one cache command before the read goes to Postgres instead. */
    readonly cacheOperationTimeoutMs: number = CatalogSettings.DEFAULT_CACHE_OPERATION_TIMEOUT_MS,
    /** `Cache-Control: max-age` of a product response, for browsers and CDNs. */
    readonly httpMaxAgeSeconds: number = CatalogSettings.DEFAULT_HTTP_MAX_AGE_SECONDS,
    /** false: no shared cache at all, every read goes to Postgres. */
    readonly cacheEnabled: boolean = true,
    /**
     * How long a replica keeps a product in process in front of the shared cache; bounds how stale
     * a read may be on a replica that missed an invalidation (ADR 0048). 0: none kept.
     */
    readonly localCacheTtlMs: number = CatalogSettings.DEFAULT_LOCAL_CACHE_TTL_MS,
    /** Most products a replica keeps in process; the least recently read leave first. */
    readonly localCacheMaxEntries: number = CatalogSettings.DEFAULT_LOCAL_CACHE_MAX_ENTRIES,
  ) {}
}
