import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { CatalogUnavailableError } from '../clients/catalog-unavailable.error.js';
import { IdempotencyClaimLostError } from '../repositories/idempotency-key.repository.js';
import { ordersFakes } from '../testing/orders-fakes.js';
import { SweepIdempotencyKeysService } from './sweep-idempotency-keys.service.js';

const CUSTOMER = '5d6f8c1e-7c55-4c3e-9d2b-2f9f4d9b7a10';

function setup() {
  const fakes = ordersFakes({ idempotencyLeaseMs: 60_000 });
  const sweeper = new SweepIdempotencyKeysService(
    fakes.idempotencyKeys,
    fakes.catalog,
    fakes.clock,
    fakes.settings,
  );
  const mug = fakes.catalog.addProduct({ stock: 5 });
  /** A claim whose request reserved stock and then died. */
  const abandonedClaim = async (key: string) => {
    const orderId = randomUUID();
    const now = fakes.clock.now();
    await fakes.idempotencyKeys.claim({
      customerId: CUSTOMER,
      key,
      requestHash: 'h'.repeat(64),
      orderId,
      now,
      expiresAt: new Date(now.getTime() + 86_400_000),
    });
    await fakes.catalog.priceAndReserve(orderId, [{ productId: mug.id, quantity: 2 }]);
    return orderId;
  };
  return { ...fakes, sweeper, mug, abandonedClaim };
}

describe('SweepIdempotencyKeysService', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('releases the stock of claims abandoned past their lease and frees their keys', async () => {
    const { sweeper, catalog, clock, idempotencyKeys, mug, abandonedClaim } = setup();
    await abandonedClaim('key-1');
    expect(catalog.stockOf(mug.id)).toBe(3);

    clock.advanceMs(60_000);
    expect(await sweeper.sweep()).toEqual({ released: 1, deleted: 0 });

    expect(catalog.stockOf(mug.id)).toBe(5);
    expect(idempotencyKeys.find(CUSTOMER, 'key-1')).toBeUndefined();
  });

  it('fences a claim before releasing its stock: its request, still alive, cannot complete it any more', async () => {
    const { sweeper, catalog, clock, idempotencyKeys, mug, abandonedClaim } = setup();
    const orderId = await abandonedClaim('key-1');
    clock.advanceMs(60_000);
    let completedAfterRelease: unknown;
    catalog.afterRelease = async () => {
      catalog.afterRelease = undefined;
      // The slow request wakes just as its stock went back and tries to store its response.
      completedAfterRelease = await idempotencyKeys
        .complete(CUSTOMER, 'key-1', orderId, { status: 201, body: {} })
        .then(
          () => 'completed',
          (error: unknown) => error,
        );
    };

    expect(await sweeper.sweep()).toEqual({ released: 1, deleted: 0 });

    expect(completedAfterRelease).toBeInstanceOf(IdempotencyClaimLostError);
    expect(catalog.stockOf(mug.id)).toBe(5);
    expect(idempotencyKeys.find(CUSTOMER, 'key-1')).toBeUndefined();
  });

  it('leaves claims within their lease alone: their request may still be running', async () => {
    const { sweeper, catalog, clock, idempotencyKeys, mug, abandonedClaim } = setup();
    await abandonedClaim('key-1');

    clock.advanceMs(59_000);
    expect(await sweeper.sweep()).toEqual({ released: 0, deleted: 0 });

    expect(catalog.stockOf(mug.id)).toBe(3);
    expect(idempotencyKeys.find(CUSTOMER, 'key-1')).toBeDefined();
  });

  it('keeps an abandoned claim whose release failed, for the next sweep', async () => {
    const { sweeper, catalog, clock, idempotencyKeys, mug, abandonedClaim } = setup();
    await abandonedClaim('key-1');
    clock.advanceMs(60_000);
    catalog.failures.release = new CatalogUnavailableError('catalog.v1.stock.release');

    expect(await sweeper.sweep()).toEqual({ released: 0, deleted: 0 });
    expect(idempotencyKeys.find(CUSTOMER, 'key-1')).toBeDefined();

    delete catalog.failures.release;
    expect(await sweeper.sweep()).toEqual({ released: 1, deleted: 0 });
    expect(catalog.stockOf(mug.id)).toBe(5);
  });

  it('deletes completed keys once they have expired', async () => {
    const { sweeper, clock, idempotencyKeys } = setup();
    const orderId = randomUUID();
    const now = clock.now();
    await idempotencyKeys.claim({
      customerId: CUSTOMER,
      key: 'done',
      requestHash: 'h'.repeat(64),
      orderId,
      now,
      expiresAt: new Date(now.getTime() + 3_600_000),
    });
    await idempotencyKeys.complete(CUSTOMER, 'done', orderId, {
      status: 201,
      body: { id: orderId },
    });

    clock.advanceMs(3_599_000);
    expect((await sweeper.sweep()).deleted).toBe(0);
    clock.advanceMs(1_000);
    expect((await sweeper.sweep()).deleted).toBe(1);
    expect(idempotencyKeys.find(CUSTOMER, 'done')).toBeUndefined();
  });
});
