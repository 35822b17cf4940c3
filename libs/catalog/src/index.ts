export { CATALOG_PERSISTENCE } from './catalog.persistence.js';
export {
  CatalogModule,
  type CatalogModuleAsyncOptions,
  type CatalogModuleOptions,
} from './catalog.module.js';
export { CatalogConfig, catalogConfig } from './catalog.config.js';
