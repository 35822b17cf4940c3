import {
  InsufficientStockError,
  ProductsUnavailableError,
  ReservationMismatchError,
  ReservationReleasedError,
} from '../domain/reservation.errors.js';
import { catalogFakes } from '../testing/catalog-fakes.js';
import { ReleaseStockService } from './release-stock.service.js';
import { ReserveStockService } from './reserve-stock.service.js';

const ORDER = '7d0f3c36-3d59-4f4e-9c37-0c1f6f1f2a01';
const OTHER_ORDER = '7d0f3c36-3d59-4f4e-9c37-0c1f6f1f2a02';

async function setup() {
  const fakes = catalogFakes();
  const create = (sku: string, stock: number) =>
    fakes.createProduct.create({ sku, name: sku, priceAmount: 100, currency: 'EUR', stock });
  const mug = await create('MUG', 5);
  const tea = await create('TEA', 2);
  const args = fakes.stockPorts;
  return {
    ...fakes,
    mug,
    tea,
    reserve: new ReserveStockService(...args),
    release: new ReleaseStockService(...args),
  };
}

describe('ReserveStockService', () => {
  it('takes every line off stock and drops the cached copies', async () => {
    const { reserve, products, cache, cacheAside, mug, tea } = await setup();
    await cacheAside.get(mug.id);

    await reserve.reserve({
      orderId: ORDER,
      items: [
        { productId: mug.id, quantity: 2 },
        { productId: tea.id, quantity: 2 },
      ],
    });

    expect(products.stockOf(mug.id)).toBe(3);
    expect(products.stockOf(tea.id)).toBe(0);
    expect(cache.has(mug.id)).toBe(false);
  });

  it('reserves nothing when one line cannot be served, and says which, not how many are left', async () => {
    const { reserve, products, reservations, mug, tea } = await setup();

    const error = await reserve
      .reserve({
        orderId: ORDER,
        items: [
          { productId: mug.id, quantity: 1 },
          { productId: tea.id, quantity: 3 },
        ],
      })
      .catch((failure: unknown) => failure);

    expect(error).toBeInstanceOf(InsufficientStockError);
    expect((error as InsufficientStockError).details).toEqual({
      productIds: [tea.id],
      // Which lines are short, never how many units exist: stock levels are not for customers.
      shortages: [{ productId: tea.id, requested: 3 }],
    });
    expect(JSON.stringify(error)).not.toMatch(/available/);
    expect(products.stockOf(mug.id)).toBe(5);
    expect(products.stockOf(tea.id)).toBe(2);
    expect(await reservations.findByOrderId(ORDER)).toBeNull();
  });

  it('lets the order try again after a refused reservation', async () => {
    const { reserve, products, tea } = await setup();
    await expect(
      reserve.reserve({ orderId: ORDER, items: [{ productId: tea.id, quantity: 3 }] }),
    ).rejects.toBeInstanceOf(InsufficientStockError);

    await reserve.reserve({ orderId: ORDER, items: [{ productId: tea.id, quantity: 2 }] });

    expect(products.stockOf(tea.id)).toBe(0);
  });

  it('refuses unknown and inactive products with their ids', async () => {
    const { reserve, products, clock, mug, tea } = await setup();
    products.reviseStored(tea.id, { active: false }, clock.now());
    const unknown = '00000000-0000-4000-8000-000000000000';

    const error = await reserve
      .reserve({
        orderId: ORDER,
        items: [
          { productId: mug.id, quantity: 1 },
          { productId: tea.id, quantity: 1 },
          { productId: unknown, quantity: 1 },
        ],
      })
      .catch((failure: unknown) => failure);

    expect(error).toBeInstanceOf(ProductsUnavailableError);
    expect((error as ProductsUnavailableError).details).toEqual({
      unknownProductIds: [unknown],
      inactiveProductIds: [tea.id],
    });
    expect(products.stockOf(mug.id)).toBe(5);
  });

  it('takes nothing more when the same reservation is requested again', async () => {
    const { reserve, products, mug } = await setup();
    const request = { orderId: ORDER, items: [{ productId: mug.id, quantity: 2 }] };

    await reserve.reserve(request);
    await reserve.reserve(request);

    expect(products.stockOf(mug.id)).toBe(3);
  });

  it('refuses a second reservation of the order with other lines', async () => {
    const { reserve, products, mug } = await setup();
    await reserve.reserve({ orderId: ORDER, items: [{ productId: mug.id, quantity: 2 }] });

    await expect(
      reserve.reserve({ orderId: ORDER, items: [{ productId: mug.id, quantity: 3 }] }),
    ).rejects.toBeInstanceOf(ReservationMismatchError);
    expect(products.stockOf(mug.id)).toBe(3);
  });
});

describe('ReleaseStockService', () => {
  it('puts reserved stock back exactly once, however often it is asked', async () => {
    const { reserve, release, products, mug, tea } = await setup();
    await reserve.reserve({
      orderId: ORDER,
      items: [
        { productId: mug.id, quantity: 2 },
        { productId: tea.id, quantity: 1 },
      ],
    });

    expect(await release.release(ORDER)).toBe(true);
    expect(await release.release(ORDER)).toBe(true);

    expect(products.stockOf(mug.id)).toBe(5);
    expect(products.stockOf(tea.id)).toBe(2);
  });

  it('leaves other orders reservations alone', async () => {
    const { reserve, release, products, mug } = await setup();
    await reserve.reserve({ orderId: ORDER, items: [{ productId: mug.id, quantity: 2 }] });
    await reserve.reserve({ orderId: OTHER_ORDER, items: [{ productId: mug.id, quantity: 1 }] });

    await release.release(ORDER);

    expect(products.stockOf(mug.id)).toBe(4);
  });

  it('refuses to reserve again for a released order', async () => {
    const { reserve, release, products, mug } = await setup();
    const request = { orderId: ORDER, items: [{ productId: mug.id, quantity: 2 }] };
    await reserve.reserve(request);
    await release.release(ORDER);

    await expect(reserve.reserve(request)).rejects.toBeInstanceOf(ReservationReleasedError);
    expect(products.stockOf(mug.id)).toBe(5);
  });

  it('answers false for an order with no reservation and refuses a reserve that arrives later', async () => {
    const { reserve, release, products, mug } = await setup();

    expect(await release.release(ORDER)).toBe(false);
    await expect(
      reserve.reserve({ orderId: ORDER, items: [{ productId: mug.id, quantity: 1 }] }),
    ).rejects.toBeInstanceOf(ReservationReleasedError);
    expect(products.stockOf(mug.id)).toBe(5);
    expect(await release.release(ORDER)).toBe(false);
  });
});
