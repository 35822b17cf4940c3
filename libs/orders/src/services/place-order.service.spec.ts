import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { ORDER_EVENTS } from '#lib/contracts';
import { CatalogUnavailableError } from '../clients/catalog-unavailable.error.js';
import {
  IdempotencyKeyInProgressError,
  IdempotencyKeyRequiredError,
  IdempotencyKeyReusedError,
} from '../domain/idempotency.errors.js';
import {
  MixedCurrenciesError,
  OutOfStockError,
  ProductsUnavailableError,
} from '../domain/placement.errors.js';
import type { OrdersModuleOptions } from './orders-settings.js';
import { ordersFakes } from '../testing/orders-fakes.js';
import { PlaceOrderService } from './place-order.service.js';

const CUSTOMER = '5d6f8c1e-7c55-4c3e-9d2b-2f9f4d9b7a10';
const OTHER_CUSTOMER = '7e8f9a0b-1c2d-4e3f-8a9b-0c1d2e3f4a5b';

function setup(options: OrdersModuleOptions = {}) {
  const fakes = ordersFakes(options);
  const service = new PlaceOrderService(
    fakes.orders,
    fakes.idempotencyKeys,
    fakes.catalog,
    fakes.events,
    fakes.unitOfWork,
    fakes.clock,
    fakes.settings,
  );
  const mug = fakes.catalog.addProduct({ sku: 'MUG-1', name: 'Mug', unitPrice: 1250, stock: 5 });
  const tea = fakes.catalog.addProduct({ sku: 'TEA-1', name: 'Tea', unitPrice: 399, stock: 5 });
  return { ...fakes, service, mug, tea };
}

type Setup = ReturnType<typeof setup>;

const basket = ({ mug, tea }: Setup) => [
  { productId: mug.id, quantity: 2 },
  { productId: tea.id, quantity: 1 },
];

/** A promise the test resolves when it wants, to hold a request up mid-way. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('PlaceOrderService', () => {
  // The compensation paths log on purpose; the assertions cover them.
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('prices the basket, reserves its stock and saves the order pending payment with its event', async () => {
    const world = setup();
    const { service, catalog, orders, events, mug, tea } = world;

    const result = await service.place({
      customerId: CUSTOMER,
      idempotencyKey: 'key-1',
      items: basket(world),
    });

    expect(result.status).toBe(201);
    expect(result.replayed).toBe(false);
    expect(result.order).toMatchObject({
      customerId: CUSTOMER,
      status: 'pending_payment',
      currency: 'EUR',
      total: 2 * 1250 + 399,
      lines: [
        {
          productId: mug.id,
          sku: 'MUG-1',
          name: 'Mug',
          unitPrice: 1250,
          quantity: 2,
          lineTotal: 2500,
        },
        {
          productId: tea.id,
          sku: 'TEA-1',
          name: 'Tea',
          unitPrice: 399,
          quantity: 1,
          lineTotal: 399,
        },
      ],
    });
    expect(catalog.stockOf(mug.id)).toBe(3);
    expect(catalog.stockOf(tea.id)).toBe(4);
    expect(catalog.heldReservations()).toEqual([result.order.id]);
    expect(catalog.calls).toEqual([`priceAndReserve:${result.order.id}`]);
    expect((await orders.findById(result.order.id))?.status).toBe('pending_payment');
    expect(events.published).toEqual([
      expect.objectContaining({
        type: ORDER_EVENTS.placed,
        payload: {
          orderId: result.order.id,
          customerId: CUSTOMER,
          currency: 'EUR',
          total: 2899,
          lines: [
            { productId: mug.id, sku: 'MUG-1', name: 'Mug', quantity: 2, unitPrice: 1250 },
            { productId: tea.id, sku: 'TEA-1', name: 'Tea', quantity: 1, unitPrice: 399 },
          ],
        },
      }),
    ]);
  });

  it('replays the first response for a retry with the same key and body, placing nothing more', async () => {
    const world = setup();
    const { service, catalog, orders, events, mug } = world;
    const command = { customerId: CUSTOMER, idempotencyKey: 'key-1', items: basket(world) };

    const first = await service.place(command);
    const retry = await service.place({
      ...command,
      items: basket(world).map((item) => ({ ...item })),
    });

    expect(retry).toEqual({ status: 201, order: first.order, replayed: true });
    expect(orders.count()).toBe(1);
    expect(events.published).toHaveLength(1);
    expect(catalog.calls.filter((call) => call.startsWith('priceAndReserve'))).toHaveLength(1);
    expect(catalog.stockOf(mug.id)).toBe(3);
  });

  it('refuses the same key with a different body, reserving nothing for it', async () => {
    const world = setup();
    const { service, catalog, orders, mug } = world;
    await service.place({ customerId: CUSTOMER, idempotencyKey: 'key-1', items: basket(world) });

    await expect(
      service.place({
        customerId: CUSTOMER,
        idempotencyKey: 'key-1',
        items: [{ productId: mug.id, quantity: 1 }],
      }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(orders.count()).toBe(1);
    expect(catalog.stockOf(mug.id)).toBe(3);
  });

  it('scopes keys per customer: another customer with the same key gets their own order', async () => {
    const world = setup();
    const { service, orders } = world;
    const mine = await service.place({
      customerId: CUSTOMER,
      idempotencyKey: 'k',
      items: basket(world),
    });
    const theirs = await service.place({
      customerId: OTHER_CUSTOMER,
      idempotencyKey: 'k',
      items: basket(world),
    });
    expect(theirs.replayed).toBe(false);
    expect(theirs.order.id).not.toBe(mine.order.id);
    expect(orders.count()).toBe(2);
  });

  it('requires an idempotency key and calls nothing without one', async () => {
    const world = setup();
    await expect(
      world.service.place({
        customerId: CUSTOMER,
        idempotencyKey: undefined,
        items: basket(world),
      }),
    ).rejects.toBeInstanceOf(IdempotencyKeyRequiredError);
    expect(world.catalog.calls).toEqual([]);
  });

  it('answers out of stock with nothing reserved, and lets the same key try again later', async () => {
    const world = setup();
    const { service, catalog, orders, events, mug, tea } = world;
    const command = {
      customerId: CUSTOMER,
      idempotencyKey: 'key-1',
      items: [
        { productId: tea.id, quantity: 1 },
        { productId: mug.id, quantity: 6 },
      ],
    };

    await expect(service.place(command)).rejects.toEqual(
      expect.objectContaining({
        code: 'ORDERS.OUT_OF_STOCK',
        productIds: [mug.id],
      }),
    );
    expect(catalog.stockOf(mug.id)).toBe(5);
    expect(catalog.stockOf(tea.id)).toBe(5);
    expect(catalog.heldReservations()).toEqual([]);
    expect(catalog.calls.filter((call) => call.startsWith('release'))).toEqual([]);
    expect(orders.count()).toBe(0);
    expect(events.published).toEqual([]);

    mug.stock = 6;
    const retried = await service.place(command);
    expect(retried.replayed).toBe(false);
    expect(catalog.stockOf(mug.id)).toBe(0);
  });

  it('rejects unknown and inactive products with their ids, in one catalog request, releasing nothing', async () => {
    const world = setup();
    const { service, catalog, tea } = world;
    tea.active = false;
    const unknown = randomUUID();

    const failure = service.place({
      customerId: CUSTOMER,
      idempotencyKey: 'key-1',
      items: [
        { productId: unknown, quantity: 1 },
        { productId: tea.id, quantity: 1 },
      ],
    });

    await expect(failure).rejects.toBeInstanceOf(ProductsUnavailableError);
    await expect(failure).rejects.toMatchObject({ details: { productIds: [unknown, tea.id] } });
    expect(catalog.calls).toEqual([expect.stringMatching(/^priceAndReserve:/)]);
  });

  it('releases the reservation when the order cannot be saved, and frees the key', async () => {
    const world = setup();
    const { service, catalog, orders, events, idempotencyKeys, mug, tea } = world;
    orders.failInsertsWith = new Error('connection terminated');

    await expect(
      service.place({ customerId: CUSTOMER, idempotencyKey: 'key-1', items: basket(world) }),
    ).rejects.toThrow('connection terminated');

    const [reserve, release] = catalog.calls;
    expect(reserve).toMatch(/^priceAndReserve:/);
    expect(release).toBe(reserve.replace('priceAndReserve:', 'release:'));
    expect(catalog.stockOf(mug.id)).toBe(5);
    expect(catalog.stockOf(tea.id)).toBe(5);
    expect(events.published).toEqual([]);
    expect(idempotencyKeys.find(CUSTOMER, 'key-1')).toBeUndefined();
  });

  it('accepts the order awaiting stock (202) when the catalog gives no answer, holding what it may have reserved', async () => {
    const world = setup();
    const { service, catalog, orders, events, idempotencyKeys, mug, tea } = world;
    // The catalog took the stock, but its reply was lost.
    catalog.loseReserveReply = true;

    const result = await service.place({
      customerId: CUSTOMER,
      idempotencyKey: 'key-1',
      items: [...basket(world), { productId: mug.id, quantity: 1 }],
    });

    expect(result).toMatchObject({ status: 202, replayed: false });
    expect(result.order).toMatchObject({
      customerId: CUSTOMER,
      status: 'awaiting_stock',
      currency: '',
      total: 0,
      lines: [],
      requestedItems: [
        { productId: mug.id, quantity: 3 },
        { productId: tea.id, quantity: 1 },
      ],
    });
    // Not released: the confirmer reserves under the same order id, which takes nothing twice.
    expect(catalog.calls).toEqual([`priceAndReserve:${result.order.id}`]);
    // Asked once, not retried: the customer gets the 202 at once and the confirmer keeps asking.
    expect(catalog.efforts).toEqual(['once']);
    expect(catalog.heldReservations()).toEqual([result.order.id]);
    expect((await orders.findById(result.order.id))?.status).toBe('awaiting_stock');
    expect(orders.nextConfirmationOf(result.order.id)).toBeDefined();
    // Nothing to charge yet: payments hears of it once it is confirmed.
    expect(events.published).toEqual([]);
    expect(idempotencyKeys.find(CUSTOMER, 'key-1')?.response?.status).toBe(202);
  });

  it('replays the 202 of an order accepted awaiting stock, and places nothing more', async () => {
    const world = setup();
    const { service, catalog, orders } = world;
    catalog.failures.priceAndReserve = new CatalogUnavailableError(
      'catalog.v1.basket.price-and-reserve',
    );
    const command = { customerId: CUSTOMER, idempotencyKey: 'key-1', items: basket(world) };

    const first = await service.place(command);
    delete catalog.failures.priceAndReserve;
    const again = await service.place(command);

    expect(again).toEqual({ status: 202, order: first.order, replayed: true });
    expect(orders.count()).toBe(1);
    expect(catalog.calls).toEqual([`priceAndReserve:${first.order.id}`]);
  });

  it('releases and answers the failure when an order awaiting stock cannot be saved either', async () => {
    const world = setup();
    const { service, catalog, orders, idempotencyKeys, mug } = world;
    catalog.loseReserveReply = true;
    orders.failInsertsWith = new Error('connection terminated');

    await expect(
      service.place({ customerId: CUSTOMER, idempotencyKey: 'key-1', items: basket(world) }),
    ).rejects.toThrow('connection terminated');

    expect(catalog.heldReservations()).toEqual([]);
    expect(catalog.stockOf(mug.id)).toBe(5);
    expect(orders.count()).toBe(0);
    expect(idempotencyKeys.find(CUSTOMER, 'key-1')).toBeUndefined();
  });

  it('still refuses at once when the catalog definitely says no (out of stock), accepting nothing', async () => {
    const world = setup();
    const { service, orders, mug } = world;

    await expect(
      service.place({
        customerId: CUSTOMER,
        idempotencyKey: 'key-1',
        items: [{ productId: mug.id, quantity: 6 }],
      }),
    ).rejects.toBeInstanceOf(OutOfStockError);
    expect(orders.count()).toBe(0);
  });

  it('releases to be sure after a mixed-currency refusal, and frees the key', async () => {
    const world = setup();
    const { service, catalog, idempotencyKeys, mug } = world;
    const dollars = catalog.addProduct({ currency: 'USD' });

    await expect(
      service.place({
        customerId: CUSTOMER,
        idempotencyKey: 'key-1',
        items: [
          { productId: mug.id, quantity: 1 },
          { productId: dollars.id, quantity: 1 },
        ],
      }),
    ).rejects.toBeInstanceOf(MixedCurrenciesError);

    expect(catalog.calls).toEqual([
      expect.stringMatching(/^priceAndReserve:/),
      expect.stringMatching(/^release:/),
    ]);
    expect(catalog.stockOf(mug.id)).toBe(5);
    expect(idempotencyKeys.find(CUSTOMER, 'key-1')).toBeUndefined();
  });

  it('keeps a claim whose release failed, and releases it before reusing the key after the lease', async () => {
    const world = setup({ idempotencyLeaseMs: 60_000, idempotencyWaitMs: 20 });
    const { service, catalog, orders, clock, mug } = world;
    const command = { customerId: CUSTOMER, idempotencyKey: 'key-1', items: basket(world) };
    orders.failInsertsWith = new Error('connection terminated');
    catalog.failures.release = new CatalogUnavailableError('catalog.v1.stock.release');

    await expect(service.place(command)).rejects.toThrow('connection terminated');
    const [abandonedOrderId] = catalog.heldReservations();
    expect(abandonedOrderId).toBeDefined();
    expect(catalog.stockOf(mug.id)).toBe(3);

    // Everything recovers; within the lease the key still looks busy.
    delete orders.failInsertsWith;
    delete catalog.failures.release;
    await expect(service.place(command)).rejects.toBeInstanceOf(IdempotencyKeyInProgressError);

    clock.advanceMs(60_000);
    const placed = await service.place(command);
    expect(placed.order.id).not.toBe(abandonedOrderId);
    expect(catalog.heldReservations()).toEqual([placed.order.id]);
    expect(catalog.stockOf(mug.id)).toBe(3);
  }, 10_000);

  it('lets a retry take over a placement stuck past its lease; the late request then holds nothing', async () => {
    const world = setup({ idempotencyLeaseMs: 60_000 });
    const { service, catalog, orders, clock, mug } = world;
    const command = { customerId: CUSTOMER, idempotencyKey: 'key-1', items: basket(world) };
    const hold = gate();
    catalog.beforeReserve = async () => {
      catalog.beforeReserve = undefined;
      await hold.opened;
    };

    const stuck = service.place(command);
    clock.advanceMs(60_000);
    const retried = await service.place(command);
    hold.open();

    // The takeover released the stuck order id first, so its late request is refused and undone.
    await expect(stuck).rejects.toThrow('was released');
    expect(retried.replayed).toBe(false);
    expect(orders.count()).toBe(1);
    expect(catalog.heldReservations()).toEqual([retried.order.id]);
    expect(catalog.stockOf(mug.id)).toBe(3);
  });

  it('fences an abandoned claim before releasing its stock: the slow original then cannot save its order', async () => {
    const world = setup({ idempotencyLeaseMs: 60_000 });
    const { service, catalog, orders, clock, mug, tea } = world;
    const command = { customerId: CUSTOMER, idempotencyKey: 'key-1', items: basket(world) };
    // The original reserves, then stalls right before it saves.
    const originalReserved = gate();
    const originalMaySave = gate();
    catalog.afterReserve = async () => {
      catalog.afterReserve = undefined;
      originalReserved.open();
      await originalMaySave.opened;
    };
    const original = service.place(command).then(
      (result) => result,
      (error: unknown) => error,
    );
    await originalReserved.opened;

    // Past the lease a retry takes the key over; it stalls right after the old stock went back.
    clock.advanceMs(60_000);
    const stockReleased = gate();
    const retryMayGoOn = gate();
    catalog.afterRelease = async () => {
      catalog.afterRelease = undefined;
      stockReleased.open();
      await retryMayGoOn.opened;
    };
    const retry = service.place(command);
    await stockReleased.opened;

    // The original wakes up now and tries to save, then the retry finishes.
    originalMaySave.open();
    // Its client is told to retry: the key now answers with the retry's result.
    expect(await original).toBeInstanceOf(IdempotencyKeyInProgressError);
    retryMayGoOn.open();
    const retried = await retry;

    // Every saved order still holds its stock; nothing was sold twice or given back while sold.
    const saved = (await orders.listNewestFirst({}, undefined, 10)).map((order) => order.id);
    expect(saved).toEqual([retried.order.id]);
    expect(catalog.heldReservations()).toEqual(saved);
    expect(catalog.stockOf(mug.id)).toBe(3);
    expect(catalog.stockOf(tea.id)).toBe(4);
  });

  it('creates one order for concurrent requests with one key: the later one replays the first', async () => {
    const world = setup();
    const { service, catalog, orders } = world;
    const hold = gate();
    catalog.beforeReserve = () => hold.opened;
    const command = { customerId: CUSTOMER, idempotencyKey: 'key-1', items: basket(world) };

    const first = service.place(command);
    const second = service.place(command);
    setTimeout(hold.open, 30);
    const results = await Promise.all([first, second]);

    expect(results[0].order.id).toBe(results[1].order.id);
    expect(results.map((result) => result.replayed).sort()).toEqual([false, true]);
    expect(orders.count()).toBe(1);
    expect(catalog.calls.filter((call) => call.startsWith('priceAndReserve'))).toHaveLength(1);
  });

  it('answers "in progress" when a concurrent request with the key takes longer than the wait', async () => {
    const world = setup({ idempotencyWaitMs: 20 });
    const { service, catalog } = world;
    const hold = gate();
    catalog.beforeReserve = () => hold.opened;
    const command = { customerId: CUSTOMER, idempotencyKey: 'key-1', items: basket(world) };

    const first = service.place(command);
    await expect(service.place(command)).rejects.toBeInstanceOf(IdempotencyKeyInProgressError);
    hold.open();
    await expect(first).resolves.toMatchObject({ status: 201, replayed: false });
  });

  it('treats a key as new once it has expired', async () => {
    const world = setup({ idempotencyKeyTtlSeconds: 3600 });
    const { service, clock, orders } = world;
    const command = { customerId: CUSTOMER, idempotencyKey: 'key-1', items: basket(world) };
    const first = await service.place(command);

    clock.advanceMs(3600 * 1000);
    const later = await service.place(command);

    expect(later.replayed).toBe(false);
    expect(later.order.id).not.toBe(first.order.id);
    expect(orders.count()).toBe(2);
  });

  it('orders a product listed twice as one line with the quantities added', async () => {
    const world = setup();
    const { service, mug } = world;
    const result = await service.place({
      customerId: CUSTOMER,
      idempotencyKey: 'key-1',
      items: [
        { productId: mug.id, quantity: 1 },
        { productId: mug.id, quantity: 2 },
      ],
    });
    expect(result.order.lines).toEqual([
      expect.objectContaining({ productId: mug.id, quantity: 3 }),
    ]);
    expect(world.catalog.stockOf(mug.id)).toBe(2);
  });

  it('reports which lines are short in the out-of-stock error, not how many units exist', async () => {
    const world = setup();
    const { service, mug } = world;
    const failure = service.place({
      customerId: CUSTOMER,
      idempotencyKey: 'key-1',
      items: [{ productId: mug.id, quantity: 9 }],
    });
    await expect(failure).rejects.toBeInstanceOf(OutOfStockError);
    await expect(failure).rejects.toMatchObject({
      details: { productIds: [mug.id], shortages: [{ productId: mug.id, requested: 9 }] },
    });
    const details = ((await failure.catch((error: unknown) => error)) as OutOfStockError).details;
    expect(JSON.stringify(details)).not.toMatch(/available/);
  });
});
