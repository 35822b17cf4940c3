import { VersionConflictError, ProductNotFoundError } from '../domain/product.errors.js';
import { catalogFakes } from '../testing/catalog-fakes.js';
import { DeactivateProductService } from './deactivate-product.service.js';
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
  await fakes.cacheAside.get(product.id);
  return {
    ...fakes,
    product,
    service: new UpdateProductService(fakes.products, fakes.cacheAside, fakes.clock),
    deactivation: new DeactivateProductService(fakes.products, fakes.cacheAside, fakes.clock),
  };
}

describe('UpdateProductService', () => {
  it('applies an edit based on the current version, stock and price included', async () => {
    const { service, products, product } = await setup();

    const updated = await service.update({
      productId: product.id,
      expectedVersion: 1,
      price: { amount: 1499, currency: 'EUR' },
      stock: 40,
    });

    expect(updated.version).toBe(2);
    expect(updated.price.amount).toBe(1499);
    expect((await products.findById(product.id))?.toSnapshot()).toEqual(updated.toSnapshot());
  });

  it('refuses an edit based on an old version, names the current one and writes nothing', async () => {
    const { service, products, product } = await setup();
    await service.update({ productId: product.id, expectedVersion: 1, stock: 7 });

    const error = await service
      .update({ productId: product.id, expectedVersion: 1, stock: 99 })
      .catch((failure: unknown) => failure);

    expect(error).toBeInstanceOf(VersionConflictError);
    expect((error as VersionConflictError).details).toMatchObject({ currentVersion: 2 });
    expect(products.stockOf(product.id)).toBe(7);
  });

  it('refuses an edit when another write lands between its read and its save', async () => {
    const { service, products, clock, product } = await setup();
    // Another admin's save, committed after our read and before our write.
    products.beforeSave = () => {
      products.beforeSave = undefined;
      products.reviseStored(product.id, { stock: 1 }, clock.now());
    };

    const error = await service
      .update({ productId: product.id, expectedVersion: 1, name: 'Mine' })
      .catch((failure: unknown) => failure);

    expect(error).toBeInstanceOf(VersionConflictError);
    expect((error as VersionConflictError).details).toMatchObject({ currentVersion: 2 });
    expect((await products.findById(product.id))?.name).toBe('Blue mug');
  });

  it('keeps the version of an edit that changes nothing', async () => {
    const { service, product } = await setup();
    const same = await service.update({ productId: product.id, expectedVersion: 1, stock: 5 });
    expect(same.version).toBe(1);
  });

  it('answers not found for an unknown product', async () => {
    const { service } = await setup();
    await expect(
      service.update({
        productId: '00000000-0000-4000-8000-000000000000',
        expectedVersion: 1,
        stock: 1,
      }),
    ).rejects.toBeInstanceOf(ProductNotFoundError);
  });
});

describe('DeactivateProductService', () => {
  it('takes the product off sale, drops its cached copy and is idempotent', async () => {
    const { deactivation, cache, product } = await setup();
    expect(cache.has(product.id)).toBe(true);

    const first = await deactivation.deactivate({ productId: product.id });
    const second = await deactivation.deactivate({ productId: product.id });

    expect(first.active).toBe(false);
    expect(second.version).toBe(first.version);
    expect(cache.has(product.id)).toBe(false);
  });

  it('honours an If-Match version when one is given', async () => {
    const { deactivation, product } = await setup();
    await expect(
      deactivation.deactivate({ productId: product.id, expectedVersion: 7 }),
    ).rejects.toBeInstanceOf(VersionConflictError);
  });
});
