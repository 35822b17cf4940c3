import { BooleanVariable, defineConfigSection, IntegerVariable } from '#lib/config';

class CatalogVariables {
  @IntegerVariable({ min: 1 })
  CATALOG_CACHE_TTL_SECONDS = 60;

  @IntegerVariable({ min: 0 })
  CATALOG_HTTP_MAX_AGE_SECONDS = 30;

  /** false: every product read goes to Postgres (benchmarks of the uncached path, diagnosis). */
  @BooleanVariable()
  CATALOG_CACHE_ENABLED = true;

  /** In-process copies in front of Redis (ADR 0048); a minute at most, 0 for none. */
  @IntegerVariable({ min: 0, max: 60_000 })
  CATALOG_LOCAL_CACHE_TTL_MS = 2_000;

  @IntegerVariable({ min: 1, max: 1_000_000 })
  CATALOG_LOCAL_CACHE_MAX_ENTRIES = 5_000;
}

/** The catalog context's settings from the environment (CATALOG_*); inject it by this class. */
export abstract class CatalogConfig {
  abstract readonly cacheTtlSeconds: number;
  abstract readonly httpMaxAgeSeconds: number;
  abstract readonly cacheEnabled: boolean;
  abstract readonly localCacheTtlMs: number;
  abstract readonly localCacheMaxEntries: number;
}

/** Validated only in an app that runs the catalog context (`CatalogModule.forRootFromEnv()`). */
export const catalogConfig = defineConfigSection({
  name: 'catalog',
  variables: CatalogVariables,
  settings: CatalogConfig,
  build: (variables): CatalogConfig => ({
    cacheTtlSeconds: variables.CATALOG_CACHE_TTL_SECONDS,
    httpMaxAgeSeconds: variables.CATALOG_HTTP_MAX_AGE_SECONDS,
    cacheEnabled: variables.CATALOG_CACHE_ENABLED,
    localCacheTtlMs: variables.CATALOG_LOCAL_CACHE_TTL_MS,
    localCacheMaxEntries: variables.CATALOG_LOCAL_CACHE_MAX_ENTRIES,
  }),
});
