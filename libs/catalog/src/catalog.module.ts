import { Clock, SystemClock } from '#lib/kernel';
import { type DynamicModule, Module, type ModuleMetadata, type Provider } from '@nestjs/common';
import { ConfigModule, type ModuleOptionsFactory, RedisConfig } from '#lib/config';
import { DatabaseModule, TransactionRunner } from '#lib/database';
import { CatalogConfig, catalogConfig } from './catalog.config.js';
import { CATALOG_PERSISTENCE } from './catalog.persistence.js';
import { LocalFirstProductCache } from './clients/local-first.product-cache.js';
import { NoProductCache } from './clients/no-product-cache.js';
import { RedisProductCache } from './clients/redis.product-cache.js';
import { CatalogMessageController } from './controllers/catalog.message.controller.js';
import { OrderEventsMessageController } from './controllers/order-events.message.controller.js';
import { ProductsHttpController } from './controllers/products.http.controller.js';
import { ProductRepository } from './repositories/product.repository.js';
import { TypeormProductRepository } from './repositories/product.typeorm-repository.js';
import { ReservationRepository } from './repositories/reservation.repository.js';
import { TypeormReservationRepository } from './repositories/reservation.typeorm-repository.js';
import { CatalogSettings } from './services/catalog-settings.js';
import { CreateProductService } from './services/create-product.service.js';
import { DeactivateProductService } from './services/deactivate-product.service.js';
import { GetProductService } from './services/get-product.service.js';
import { ListProductsService } from './services/list-products.service.js';
import { ProductCache } from './services/ports/product-cache.port.js';
import { UnitOfWork } from './services/ports/unit-of-work.port.js';
import { PriceAndReserveBasketService } from './services/price-and-reserve-basket.service.js';
import { PriceBasketService } from './services/price-basket.service.js';
import { ProductCacheAside } from './services/product-cache-aside.js';
import { ReleaseStockService } from './services/release-stock.service.js';
import { ReserveStockService } from './services/reserve-stock.service.js';
import { UpdateProductService } from './services/update-product.service.js';

export interface CatalogModuleOptions {
  /** How long a product stays in the Redis cache (CATALOG_CACHE_TTL_SECONDS). Default 60. */
  readonly cacheTtlSeconds?: number;
  /** Longest wait for one cache command before reading Postgres instead. Default 200. */
  readonly cacheOperationTimeoutMs?: number;
  /** `Cache-Control: public, max-age` of GET /v1/products/:id. Default 30. */
  readonly httpMaxAgeSeconds?: number;
  /** false: no Redis cache, every product read goes to Postgres (CATALOG_CACHE_ENABLED). Default true. */
  readonly cacheEnabled?: boolean;
  /** In-process copies in front of Redis, 0 to 60,000 ms (CATALOG_LOCAL_CACHE_TTL_MS). Default 2,000. */
  readonly localCacheTtlMs?: number;
  /** Most products kept in process (CATALOG_LOCAL_CACHE_MAX_ENTRIES). Default 5,000. */
  readonly localCacheMaxEntries?: number;
}

export type CatalogModuleAsyncOptions = ModuleOptionsFactory<CatalogModuleOptions>;

function integerWithin(
  name: string,
  value: number | undefined,
  fallback: number,
  [min, max]: readonly [number, number],
): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < min || resolved > max) {
    throw new Error(
      `CatalogModule: ${name} must be a whole number from ${min} to ${max}, not ${resolved}`,
    );
  }
  return resolved;
}

const positiveInteger = (name: string, value: number | undefined, fallback: number): number =>
  integerWithin(name, value, fallback, [1, Number.MAX_SAFE_INTEGER]);

function settingsFrom(options: CatalogModuleOptions): CatalogSettings {
  return new CatalogSettings(
    positiveInteger(
      'cacheTtlSeconds',
      options.cacheTtlSeconds,
      CatalogSettings.DEFAULT_CACHE_TTL_SECONDS,
    ),
    positiveInteger(
      'cacheOperationTimeoutMs',
      options.cacheOperationTimeoutMs,
      CatalogSettings.DEFAULT_CACHE_OPERATION_TIMEOUT_MS,
    ),
    positiveInteger(
      'httpMaxAgeSeconds',
      options.httpMaxAgeSeconds,
      CatalogSettings.DEFAULT_HTTP_MAX_AGE_SECONDS,
    ),
    options.cacheEnabled ?? true,
    integerWithin(
      'localCacheTtlMs',
      options.localCacheTtlMs,
      CatalogSettings.DEFAULT_LOCAL_CACHE_TTL_MS,
      [0, 60_000],
    ),
    integerWithin(
      'localCacheMaxEntries',
      options.localCacheMaxEntries,
      CatalogSettings.DEFAULT_LOCAL_CACHE_MAX_ENTRIES,
      [1, 1_000_000],
    ),
  );
}

/** Redis, with a few seconds in process in front of it unless localCacheTtlMs is 0 (ADR 0048). */
const createProductCache = (
  redisUrl: string,
  settings: CatalogSettings,
  clock: Clock,
): Promise<ProductCache> =>
  settings.localCacheTtlMs === 0
    ? RedisProductCache.create(redisUrl, settings)
    : LocalFirstProductCache.overRedis(redisUrl, settings, clock);

const PROVIDERS: Provider[] = [
  // Ports and the adapters that implement them here.
  { provide: ProductRepository, useClass: TypeormProductRepository },
  { provide: ReservationRepository, useClass: TypeormReservationRepository },
  { provide: UnitOfWork, useExisting: TransactionRunner },
  { provide: Clock, useClass: SystemClock },
  {
    provide: ProductCache,
    inject: [RedisConfig, CatalogSettings, Clock],
    useFactory: (
      redis: RedisConfig,
      settings: CatalogSettings,
      clock: Clock,
    ): Promise<ProductCache> | ProductCache =>
      settings.cacheEnabled ? createProductCache(redis.url, settings, clock) : new NoProductCache(),
  },
  ProductCacheAside,
  // Use cases.
  ListProductsService,
  GetProductService,
  CreateProductService,
  UpdateProductService,
  DeactivateProductService,
  PriceBasketService,
  PriceAndReserveBasketService,
  ReserveStockService,
  ReleaseStockService,
];

/**
 * The catalog context: products, their public listing and admin editing over HTTP, pricing and
 * stock reservation for other contexts over messaging, and the release of a cancelled order's
 * stock on `orders.v1.order-cancelled`. Needs the platform's global modules
 * (config, database, guards) and a messaging transport for its request handlers; owns the
 * `catalog` Postgres schema and the `catalog:*` Redis keys.
 */
@Module({})
export class CatalogModule {
  /** What an app that runs the catalog imports: options from the `catalog` config section. */
  static forRootFromEnv(): DynamicModule {
    return CatalogModule.forRootAsync({
      imports: [ConfigModule.forFeature(catalogConfig)],
      inject: [CatalogConfig],
      useFactory: (config: CatalogConfig): CatalogModuleOptions => config,
    });
  }

  static forRoot(options: CatalogModuleOptions = {}): DynamicModule {
    return CatalogModule.with([], { provide: CatalogSettings, useValue: settingsFrom(options) });
  }

  /** Options from other providers, e.g. a config section's settings. */
  static forRootAsync(options: CatalogModuleAsyncOptions): DynamicModule {
    return CatalogModule.with(options.imports ?? [], {
      provide: CatalogSettings,
      inject: options.inject ?? [],
      useFactory: async (...dependencies: never[]) =>
        settingsFrom(await options.useFactory(...dependencies)),
    });
  }

  private static with(
    imports: NonNullable<ModuleMetadata['imports']>,
    settings: Provider,
  ): DynamicModule {
    return {
      module: CatalogModule,
      imports: [DatabaseModule.forFeature(CATALOG_PERSISTENCE), ...imports],
      controllers: [ProductsHttpController, CatalogMessageController, OrderEventsMessageController],
      providers: [settings, ...PROVIDERS],
    };
  }
}
