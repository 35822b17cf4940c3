import { randomUUID } from 'node:crypto';
import {
  InsufficientStockError,
  ReservationReleasedError,
} from '../../../libs/catalog/src/domain/reservation.errors.js';
import { PriceAndReserveBasketService } from '../../../libs/catalog/src/services/price-and-reserve-basket.service.js';
import { ProductCacheAside } from '../../../libs/catalog/src/services/product-cache-aside.js';
import { ReleaseStockService } from '../../../libs/catalog/src/services/release-stock.service.js';
import { ReserveStockService } from '../../../libs/catalog/src/services/reserve-stock.service.js';
import { InMemoryProductCache } from '../../../libs/catalog/src/testing/in-memory-product.cache.js';
import { ManualClock } from '#lib/testing';
import { type CatalogDatabase, openCatalogDatabase } from './catalog-database.js';

describe('stock reservations against PostgreSQL', () => {
  let db: CatalogDatabase;
  let reserve: ReserveStockService;
  let release: ReleaseStockService;
  let priceAndReserve: PriceAndReserveBasketService;

  beforeAll(async () => {
    // A pool as large as the races below, so the transactions really run at the same time.
    db = await openCatalogDatabase(20);
    const clock = new ManualClock();
    const cacheAside = new ProductCacheAside(new InMemoryProductCache(), db.products, clock);
    const args = [db.products, db.reservations, db.transactions, cacheAside, clock] as const;
    reserve = new ReserveStockService(...args);
    release = new ReleaseStockService(...args);
    priceAndReserve = new PriceAndReserveBasketService(...args);
  });

  afterAll(() => db.close());

  const newOrder = (): string => {
    const orderId = randomUUID();
    db.trackOrder(orderId);
    return orderId;
  };

  it('lets exactly one of 20 concurrent orders take the last unit, and stock never goes negative', async () => {
    const product = await db.newProduct({ stock: 1 });

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        reserve.reserve({ orderId: newOrder(), items: [{ productId: product.id, quantity: 1 }] }),
      ),
    );

    const failures = results.filter((result) => result.status === 'rejected');
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(failures).toHaveLength(19);
    for (const failure of failures) {
      expect(failure.reason).toBeInstanceOf(InsufficientStockError);
      expect((failure.reason as InsufficientStockError).details).toMatchObject({
        productIds: [product.id],
      });
    }
    expect(await db.stockOf(product.id)).toBe(0);
    const [{ count }] = await db.dataSource.query<{ count: string }[]>(
      `SELECT count(*) FROM catalog.reservations WHERE lines @> $1::jsonb`,
      [JSON.stringify([{ productId: product.id }])],
    );
    expect(Number(count)).toBe(1);
  });

  it('serves concurrent multi-line orders all-or-nothing and without deadlocks, whatever their line order', async () => {
    const first = await db.newProduct({ stock: 10 });
    const second = await db.newProduct({ stock: 10 });
    const third = await db.newProduct({ stock: 4 });

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) => {
        const lines = [
          { productId: first.id, quantity: 1 },
          { productId: second.id, quantity: 1 },
          ...(index % 4 === 0 ? [{ productId: third.id, quantity: 1 }] : []),
        ];
        // Half of them list the lines backwards: the service must still lock in one order.
        return reserve.reserve({
          orderId: newOrder(),
          items: index % 2 === 0 ? lines : [...lines].reverse(),
        });
      }),
    );

    const succeeded = results.filter((result) => result.status === 'fulfilled').length;
    const rejected = results.filter((result) => result.status === 'rejected');
    expect(succeeded).toBe(10);
    for (const failure of rejected) expect(failure.reason).toBeInstanceOf(InsufficientStockError);
    expect(await db.stockOf(first.id)).toBe(0);
    expect(await db.stockOf(second.id)).toBe(0);
    expect(await db.stockOf(third.id)).toBeGreaterThanOrEqual(0);
  });

  it('takes stock once for the same order requested concurrently', async () => {
    const product = await db.newProduct({ stock: 10 });
    const orderId = newOrder();
    const request = { orderId, items: [{ productId: product.id, quantity: 3 }] };

    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => reserve.reserve(request)),
    );

    expect(results.every((result) => result.status === 'fulfilled')).toBe(true);
    expect(await db.stockOf(product.id)).toBe(7);
  });

  it('prices and takes stock once for one order requested concurrently, answering each with the same basket', async () => {
    const product = await db.newProduct({ stock: 10, amount: 1250 });
    const request = { orderId: newOrder(), items: [{ productId: product.id, quantity: 3 }] };

    const baskets = await Promise.all(
      Array.from({ length: 5 }, () => priceAndReserve.priceAndReserve(request)),
    );

    for (const basket of baskets)
      expect(basket.total.toJSON()).toEqual({ amount: 3750, currency: 'EUR' });
    expect(await db.stockOf(product.id)).toBe(7);
  });

  it('prices and takes one product spelled in capitals and in lower case as one line', async () => {
    const product = await db.newProduct({ stock: 10, amount: 1250 });

    const basket = await priceAndReserve.priceAndReserve({
      orderId: newOrder(),
      items: [
        { productId: product.id.toUpperCase(), quantity: 2 },
        { productId: product.id, quantity: 1 },
      ],
    });

    expect(basket.lines.map((line) => [line.productId, line.quantity])).toEqual([[product.id, 3]]);
    expect(basket.total.toJSON()).toEqual({ amount: 3750, currency: 'EUR' });
    expect(await db.stockOf(product.id)).toBe(7);
  });

  it('sells the last unit to exactly one of 20 concurrent price-and-reserve requests', async () => {
    const product = await db.newProduct({ stock: 1 });

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        priceAndReserve.priceAndReserve({
          orderId: newOrder(),
          items: [{ productId: product.id, quantity: 1 }],
        }),
      ),
    );

    const failures = results.filter((result) => result.status === 'rejected');
    expect(failures).toHaveLength(19);
    for (const failure of failures) expect(failure.reason).toBeInstanceOf(InsufficientStockError);
    expect(await db.stockOf(product.id)).toBe(0);
  });

  it('rolls back every line of a refused reservation', async () => {
    const plenty = await db.newProduct({ stock: 10 });
    const scarce = await db.newProduct({ stock: 1 });
    const orderId = newOrder();

    await expect(
      reserve.reserve({
        orderId,
        items: [
          { productId: plenty.id, quantity: 4 },
          { productId: scarce.id, quantity: 2 },
        ],
      }),
    ).rejects.toBeInstanceOf(InsufficientStockError);

    expect(await db.stockOf(plenty.id)).toBe(10);
    expect(await db.stockOf(scarce.id)).toBe(1);
    expect(await db.reservations.findByOrderId(orderId)).toBeNull();
  });

  it('puts stock back exactly once when a release is repeated concurrently', async () => {
    const product = await db.newProduct({ stock: 5 });
    const orderId = newOrder();
    await reserve.reserve({ orderId, items: [{ productId: product.id, quantity: 5 }] });
    expect(await db.stockOf(product.id)).toBe(0);

    const answers = await Promise.all(Array.from({ length: 5 }, () => release.release(orderId)));

    expect(answers).toEqual([true, true, true, true, true]);
    expect(await db.stockOf(product.id)).toBe(5);
    expect((await db.reservations.findByOrderId(orderId))?.isReleased).toBe(true);
  });

  it('refuses a reserve that arrives after the order was released', async () => {
    const product = await db.newProduct({ stock: 5 });
    const orderId = newOrder();

    expect(await release.release(orderId)).toBe(false);
    await expect(
      reserve.reserve({ orderId, items: [{ productId: product.id, quantity: 1 }] }),
    ).rejects.toBeInstanceOf(ReservationReleasedError);

    expect(await db.stockOf(product.id)).toBe(5);
  });

  it('never leaves stock behind when a reserve and a release of one order race', async () => {
    for (let round = 0; round < 10; round += 1) {
      const product = await db.newProduct({ stock: 3 });
      const orderId = newOrder();

      await Promise.allSettled([
        reserve.reserve({ orderId, items: [{ productId: product.id, quantity: 2 }] }),
        release.release(orderId),
      ]);

      // Whichever came first, the order ends released and the stock is whole.
      expect((await db.reservations.findByOrderId(orderId))?.isReleased).toBe(true);
      expect(await db.stockOf(product.id)).toBe(3);
    }
  });
});
