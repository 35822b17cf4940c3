import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { catalogFakes } from '../testing/catalog-fakes.js';
import { GetProductService } from './get-product.service.js';
import { CACHE_COOLDOWN_MS } from './product-cache-aside.js';
import { ProductNotFoundError } from '../domain/product.errors.js';
import { UpdateProductService } from './update-product.service.js';

async function setup() {
  const fakes = catalogFakes();
  const product = await fakes.createProduct.create({
    sku: 'MUG-1',
    name: 'Blue mug',
    priceAmount: 1299,
    currency: 'EUR',
    stock: 5,
  });
  return { ...fakes, product, reads: new GetProductService(fakes.cacheAside) };
}

/** A promise the test resolves when it chooses. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('product reads through the cache (cache-aside)', () => {
  let warn: jest.SpiedFunction<Logger['warn']>;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    warn.mockRestore();
  });

  it('loads a cold product from the repository once, then serves it from the cache', async () => {
    const { reads, products, cache, product } = await setup();

    const first = await reads.onSale(product.id);
    const second = await reads.onSale(product.id);

    expect(first.toSnapshot()).toEqual(product.toSnapshot());
    expect(second.toSnapshot()).toEqual(product.toSnapshot());
    expect(products.findByIdCalls).toBe(1);
    expect(cache.has(product.id)).toBe(true);
  });

  it('drops the cached copy when the product is updated, so the next read sees the change', async () => {
    const { reads, products, cache, clock, cacheAside, product } = await setup();
    await reads.onSale(product.id);

    await new UpdateProductService(products, cacheAside, clock).update({
      productId: product.id,
      expectedVersion: 1,
      name: 'Red mug',
    });

    expect(cache.has(product.id)).toBe(false);
    const after = await reads.onSale(product.id);
    expect(after.name).toBe('Red mug');
    expect(after.version).toBe(2);
    expect(cache.cachedVersion(product.id)).toBe(2);
  });

  it('lets 10 concurrent reads of a cold key share a single repository load', async () => {
    const { reads, products, cache, product } = await setup();
    const gate = deferred();
    products.gate = gate.promise;

    const pending = Array.from({ length: 10 }, () => reads.onSale(product.id));
    // Every reader has missed the cache and joined the load before it completes.
    await new Promise((resolve) => setImmediate(resolve));
    gate.resolve();
    const results = await Promise.all(pending);

    expect(products.findByIdCalls).toBe(1);
    expect(cache.sets).toBe(1);
    expect(new Set(results.map((result) => result.version))).toEqual(new Set([1]));
  });

  it('does not cache what a load read before an invalidation that happened during it', async () => {
    const { products, cache, cacheAside, product } = await setup();
    const gate = deferred();
    products.gate = gate.promise;

    const staleRead = cacheAside.get(product.id);
    await new Promise((resolve) => setImmediate(resolve));
    await cacheAside.invalidate([product.id]);
    gate.resolve();
    await staleRead;

    expect(cache.has(product.id)).toBe(false);
  });

  it('serves reads from the repository and logs a warning while the cache is down', async () => {
    const { reads, products, cache, product } = await setup();
    cache.failing = true;

    const results = await Promise.all([reads.onSale(product.id), reads.onSale(product.id)]);

    expect(results.map((result) => result.id)).toEqual([product.id, product.id]);
    expect(products.findByIdCalls).toBeGreaterThanOrEqual(1);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('product cache read failed'));
  });

  it('still completes writes while the cache is down', async () => {
    const { products, cache, clock, cacheAside, product } = await setup();
    cache.failing = true;

    const updated = await new UpdateProductService(products, cacheAside, clock).update({
      productId: product.id,
      expectedVersion: 1,
      stock: 9,
    });

    expect(updated.stock).toBe(9);
    expect(products.stockOf(product.id)).toBe(9);
  });

  it('skips the cache for a short cooldown after a failure, then uses it again', async () => {
    const { reads, products, cache, clock, product } = await setup();
    cache.failing = true;
    await reads.onSale(product.id);
    const commandsAfterFailure = cache.gets + cache.sets;
    cache.failing = false;

    await reads.onSale(product.id);
    expect(cache.gets + cache.sets).toBe(commandsAfterFailure);

    clock.advanceMs(CACHE_COOLDOWN_MS);
    await reads.onSale(product.id);
    const loadsBefore = products.findByIdCalls;
    await reads.onSale(product.id);

    expect(cache.has(product.id)).toBe(true);
    expect(products.findByIdCalls).toBe(loadsBefore);
  });

  it('answers not found for an unknown product and for one off sale', async () => {
    const { reads, products, clock, cacheAside, product } = await setup();
    await expect(reads.onSale('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(
      ProductNotFoundError,
    );

    await new UpdateProductService(products, cacheAside, clock).update({
      productId: product.id,
      expectedVersion: 1,
      active: false,
    });
    await expect(reads.onSale(product.id)).rejects.toBeInstanceOf(ProductNotFoundError);
  });
});
