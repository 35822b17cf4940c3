import { catalogFakes } from '../testing/catalog-fakes.js';
import { PriceAndReserveBasketService } from '../services/price-and-reserve-basket.service.js';
import { PriceBasketService } from '../services/price-basket.service.js';
import { ReleaseStockService } from '../services/release-stock.service.js';
import { ReserveStockService } from '../services/reserve-stock.service.js';
import { CatalogMessageController } from './catalog.message.controller.js';

async function setup() {
  const fakes = catalogFakes();
  const args = fakes.stockPorts;
  const controller = new CatalogMessageController(
    new PriceBasketService(fakes.products),
    new PriceAndReserveBasketService(...args),
    new ReserveStockService(...args),
    new ReleaseStockService(...args),
  );
  const mug = await fakes.createProduct.create({
    sku: 'MUG',
    name: 'Blue mug',
    priceAmount: 1299,
    currency: 'EUR',
    stock: 3,
  });
  return { ...fakes, controller, mug };
}

const ORDER = '7d0f3c36-3d59-4f4e-9c37-0c1f6f1f2a01';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('CatalogMessageController', () => {
  it('replies to a price request with minor-unit amounts in the contract shape', async () => {
    const { controller, mug } = await setup();

    const reply = await controller.price({
      items: [
        { productId: mug.id, quantity: 2 },
        { productId: UNKNOWN, quantity: 1 },
      ],
    });

    expect(reply).toEqual({
      currency: 'EUR',
      lines: [
        {
          productId: mug.id,
          sku: 'MUG',
          name: 'Blue mug',
          unitPrice: 1299,
          quantity: 2,
          lineTotal: 2598,
        },
      ],
      total: 2598,
      unknownProductIds: [UNKNOWN],
      inactiveProductIds: [],
    });
  });

  it('replies with no currency and a zero total when nothing could be priced', async () => {
    const { controller } = await setup();
    const reply = await controller.price({ items: [{ productId: UNKNOWN, quantity: 1 }] });
    expect(reply).toMatchObject({ currency: null, lines: [], total: 0 });
  });

  it('replies reserved, then released', async () => {
    const { controller, products, mug } = await setup();

    expect(
      await controller.reserve({ orderId: ORDER, items: [{ productId: mug.id, quantity: 3 }] }),
    ).toEqual({ reserved: true });
    expect(products.stockOf(mug.id)).toBe(0);
    expect(await controller.release({ orderId: ORDER })).toEqual({ released: true });
    expect(products.stockOf(mug.id)).toBe(3);
  });

  it('replies to price-and-reserve with the reserved basket in minor units, and takes the stock', async () => {
    const { controller, products, mug } = await setup();

    const reply = await controller.priceAndReserve({
      orderId: ORDER,
      items: [{ productId: mug.id, quantity: 2 }],
    });

    expect(reply).toEqual({
      orderId: ORDER,
      currency: 'EUR',
      lines: [expect.objectContaining({ productId: mug.id, unitPrice: 1299, lineTotal: 2598 })],
      total: 2598,
    });
    expect(products.stockOf(mug.id)).toBe(1);
  });
});
