export { CATALOG_PERSISTENCE } from './catalog.persistence.js';
export {
  CatalogModule,
  type CatalogModuleAsyncOptions,
  type CatalogModuleOptions,
} from './catalog.module.js';
export { CatalogConfig, catalogConfig } from './catalog.config.js';
export {
  DEMO_SKU_PREFIX,
  MAX_DEMO_PRODUCTS,
  seedDemoCatalog,
  type DemoCatalogSeedOptions,
  type DemoCatalogSeedProgress,
} from './seeding/demo-catalog.seed.js';
