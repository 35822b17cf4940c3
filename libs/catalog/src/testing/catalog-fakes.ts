import { ManualClock, RollbackUnitOfWork } from '#lib/testing';
import { CreateProductService } from '../services/create-product.service.js';
import { ProductCacheAside } from '../services/product-cache-aside.js';
import { InMemoryProductCache } from './in-memory-product.cache.js';
import { InMemoryProductRepository } from './in-memory-product.repository.js';
import { InMemoryReservationRepository } from './in-memory-reservation.repository.js';

/** One set of port fakes for a unit test, wired like the module wires the real adapters. */
export function catalogFakes() {
  const products = new InMemoryProductRepository();
  const reservations = new InMemoryReservationRepository();
  const cache = new InMemoryProductCache();
  const clock = new ManualClock();
  const unitOfWork = new RollbackUnitOfWork([products, reservations]);
  const cacheAside = new ProductCacheAside(cache, products, clock);
  return {
    products,
    reservations,
    cache,
    clock,
    unitOfWork,
    cacheAside,
    createProduct: new CreateProductService(products, clock),
    /** What every stock use case (reserve, price-and-reserve, release) is constructed with. */
    stockPorts: [products, reservations, unitOfWork, cacheAside, clock] as const,
  };
}

export type CatalogFakes = ReturnType<typeof catalogFakes>;
