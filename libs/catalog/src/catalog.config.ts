import { BooleanVariable, defineConfigSection, IntegerVariable } from '#lib/config';

class CatalogVariables {
  @IntegerVariable({ min: 1 })
  CATALOG_CACHE_TTL_SECONDS = 60;

  @IntegerVariable({ min: 0 })
  CATALOG_HTTP_MAX_AGE_SECONDS = 30;

  /** false: every product read goes to Postgres (benchmarks of the uncached path, diagnosis). */
  @BooleanVariable()
  CATALOG_CACHE_ENABLED = true;
}

/** The catalog context's settings from the environment (CATALOG_*); inject it by this class. */
export abstract class CatalogConfig {
  abstract readonly cacheTtlSeconds: number;
  abstract readonly httpMaxAgeSeconds: number;
  abstract readonly cacheEnabled: boolean;
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
  }),
});
