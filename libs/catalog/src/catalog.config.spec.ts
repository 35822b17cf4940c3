import { catalogConfig } from './catalog.config.js';

describe('the catalog config section', () => {
  it('reads CATALOG_* with their defaults', () => {
    expect(catalogConfig.load({})).toEqual({
      cacheTtlSeconds: 60,
      httpMaxAgeSeconds: 30,
      cacheEnabled: true,
      localCacheTtlMs: 2_000,
      localCacheMaxEntries: 5_000,
    });
    expect(catalogConfig.load({ CATALOG_CACHE_TTL_SECONDS: '5' }).cacheTtlSeconds).toBe(5);
    expect(catalogConfig.load({ CATALOG_CACHE_ENABLED: 'false' }).cacheEnabled).toBe(false);
    expect(catalogConfig.load({ CATALOG_LOCAL_CACHE_TTL_MS: '0' }).localCacheTtlMs).toBe(0);
  });

  it.each([
    ['CATALOG_CACHE_TTL_SECONDS', '0'],
    ['CATALOG_CACHE_TTL_SECONDS', 'abc'],
    ['CATALOG_HTTP_MAX_AGE_SECONDS', '-1'],
    ['CATALOG_CACHE_ENABLED', 'maybe'],
    ['CATALOG_LOCAL_CACHE_TTL_MS', '-1'],
    ['CATALOG_LOCAL_CACHE_TTL_MS', '60001'],
    ['CATALOG_LOCAL_CACHE_MAX_ENTRIES', '0'],
  ])('refuses %s=%s and names the variable', (name, value) => {
    expect(() => catalogConfig.load({ [name]: value })).toThrow(name);
  });
});
