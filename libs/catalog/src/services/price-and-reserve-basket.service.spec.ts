import { MixedCurrenciesError } from '../domain/basket.errors.js';
import { Money } from '../domain/money.js';
import {
  InsufficientStockError,
  ProductsUnavailableError,
  ReservationMismatchError,
  ReservationReleasedError,
} from '../domain/reservation.errors.js';
import { catalogFakes } from '../testing/catalog-fakes.js';
import { PriceAndReserveBasketService } from './price-and-reserve-basket.service.js';
import { ReleaseStockService } from './release-stock.service.js';

const ORDER = '7d0f3c36-3d59-4f4e-9c37-0c1f6f1f2a01';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

async function setup() {
  const fakes = catalogFakes();
  const create = (sku: string, priceAmount: number, stock: number, currency = 'EUR') =>
    fakes.createProduct.create({ sku, name: sku, priceAmount, currency, stock });
  const mug = await create('MUG', 1299, 5);
  const tea = await create('TEA', 450, 2);
  const args = fakes.stockPorts;
  return {
    ...fakes,
    create,
    mug,
    tea,
    service: new PriceAndReserveBasketService(...args),
    release: new ReleaseStockService(...args),
  };
}

describe('PriceAndReserveBasketService', () => {
  it('prices the basket in request order and takes its stock, dropping the cached copies', async () => {
    const { service, products, cache, cacheAside, mug, tea } = await setup();
    await cacheAside.get(mug.id);

    const basket = await service.priceAndReserve({
      orderId: ORDER,
      items: [
        { productId: tea.id, quantity: 1 },
        { productId: mug.id, quantity: 1 },
        { productId: mug.id, quantity: 1 },
      ],
    });

    expect(basket.lines.map((line) => [line.sku, line.quantity, line.lineTotal.amount])).toEqual([
      ['TEA', 1, 450],
      ['MUG', 2, 2598],
    ]);
    expect(basket.total).toEqual(Money.of(3048, 'EUR'));
    expect(products.stockOf(mug.id)).toBe(3);
    expect(products.stockOf(tea.id)).toBe(1);
    expect(cache.has(mug.id)).toBe(false);
  });

  it.each([
    [
      'a shortage',
      InsufficientStockError,
      (ids: { tea: string }) => [{ productId: ids.tea, quantity: 3 }],
    ],
    ['an unknown product', ProductsUnavailableError, () => [{ productId: UNKNOWN, quantity: 1 }]],
  ])('refuses %s and holds nothing', async (_case, type, items) => {
    const { service, products, reservations, mug, tea } = await setup();

    await expect(
      service.priceAndReserve({
        orderId: ORDER,
        items: [{ productId: mug.id, quantity: 1 }, ...items({ tea: tea.id })],
      }),
    ).rejects.toBeInstanceOf(type);

    expect(products.stockOf(mug.id)).toBe(5);
    expect(products.stockOf(tea.id)).toBe(2);
    expect(await reservations.findByOrderId(ORDER)).toBeNull();
  });

  it('refuses a product off sale with its id, holding nothing', async () => {
    const { service, products, clock, reservations, tea } = await setup();
    products.reviseStored(tea.id, { active: false }, clock.now());

    const error = await service
      .priceAndReserve({ orderId: ORDER, items: [{ productId: tea.id, quantity: 1 }] })
      .catch((failure: unknown) => failure);

    expect(error).toBeInstanceOf(ProductsUnavailableError);
    expect((error as ProductsUnavailableError).details).toEqual({
      unknownProductIds: [],
      inactiveProductIds: [tea.id],
    });
    expect(await reservations.findByOrderId(ORDER)).toBeNull();
  });

  it('refuses a basket in two currencies and rolls back the stock it had taken', async () => {
    const { service, create, products, reservations, mug } = await setup();
    const dollars = await create('USD-MUG', 1500, 4, 'USD');

    await expect(
      service.priceAndReserve({
        orderId: ORDER,
        items: [
          { productId: mug.id, quantity: 1 },
          { productId: dollars.id, quantity: 1 },
        ],
      }),
    ).rejects.toBeInstanceOf(MixedCurrenciesError);

    expect(products.stockOf(mug.id)).toBe(5);
    expect(products.stockOf(dollars.id)).toBe(4);
    expect(await reservations.findByOrderId(ORDER)).toBeNull();
  });

  it('answers a repeat with the held basket and takes nothing more, even once a product is off sale', async () => {
    const { service, products, clock, mug } = await setup();
    const request = { orderId: ORDER, items: [{ productId: mug.id, quantity: 2 }] };
    const first = await service.priceAndReserve(request);
    products.reviseStored(mug.id, { active: false }, clock.now());

    const repeat = await service.priceAndReserve(request);

    expect(repeat).toEqual(first);
    expect(products.stockOf(mug.id)).toBe(3);
  });

  it('refuses other lines for an order that holds a reservation', async () => {
    const { service, products, mug } = await setup();
    await service.priceAndReserve({ orderId: ORDER, items: [{ productId: mug.id, quantity: 1 }] });

    await expect(
      service.priceAndReserve({ orderId: ORDER, items: [{ productId: mug.id, quantity: 2 }] }),
    ).rejects.toBeInstanceOf(ReservationMismatchError);
    expect(products.stockOf(mug.id)).toBe(4);
  });

  it('refuses an order whose reservation was released, so a late request never outlives its compensation', async () => {
    const { service, release, products, mug } = await setup();
    const request = { orderId: ORDER, items: [{ productId: mug.id, quantity: 2 }] };
    await service.priceAndReserve(request);
    expect(await release.release(ORDER)).toBe(true);

    await expect(service.priceAndReserve(request)).rejects.toBeInstanceOf(ReservationReleasedError);
    expect(products.stockOf(mug.id)).toBe(5);
  });

  it('refuses an order released before it was ever reserved', async () => {
    const { service, release, products, mug } = await setup();
    expect(await release.release(ORDER)).toBe(false);

    await expect(
      service.priceAndReserve({ orderId: ORDER, items: [{ productId: mug.id, quantity: 1 }] }),
    ).rejects.toBeInstanceOf(ReservationReleasedError);
    expect(products.stockOf(mug.id)).toBe(5);
  });
});
