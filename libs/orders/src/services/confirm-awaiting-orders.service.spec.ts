import { Logger } from '@nestjs/common';
import { ORDER_EVENTS } from '#lib/contracts';
import { CatalogUnavailableError } from '../clients/catalog-unavailable.error.js';
import { Order } from '../domain/order.js';
import type { OrdersModuleOptions } from './orders-settings.js';
import { ordersFakes } from '../testing/orders-fakes.js';
import { CancelOrderService } from './cancel-order.service.js';
import { ConfirmAwaitingOrdersService } from './confirm-awaiting-orders.service.js';
import { OrderChanges } from './order-changes.js';

const CUSTOMER = '5d6f8c1e-7c55-4c3e-9d2b-2f9f4d9b7a10';
const NO_ANSWER = new CatalogUnavailableError('catalog.v1.basket.price-and-reserve');

function setup(options: OrdersModuleOptions = {}) {
  const fakes = ordersFakes({ stockConfirmationMaxBackoffMs: 8_000, ...options });
  const service = new ConfirmAwaitingOrdersService(
    fakes.orders,
    fakes.catalog,
    fakes.events,
    fakes.unitOfWork,
    fakes.clock,
    fakes.settings,
  );
  const cancelling = new CancelOrderService(
    new OrderChanges(fakes.orders, fakes.events, fakes.unitOfWork),
    fakes.clock,
  );
  const mug = fakes.catalog.addProduct({ sku: 'MUG-1', name: 'Mug', unitPrice: 1250, stock: 5 });
  /** An order the catalog did not answer for when it was placed. */
  const awaiting = async (quantity = 2): Promise<Order> => {
    const order = Order.acceptAwaitingStock({
      id: crypto.randomUUID(),
      customerId: CUSTOMER,
      items: [{ productId: mug.id, quantity }],
      now: fakes.clock.now(),
    });
    await fakes.orders.insert(order);
    return order;
  };
  return { ...fakes, service, cancelling, mug, awaiting };
}

describe('ConfirmAwaitingOrdersService', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('reserves and prices an awaiting order, makes it pending payment and announces it placed', async () => {
    const { service, catalog, orders, events, mug, awaiting } = setup();
    const order = await awaiting();

    await expect(service.confirmDue()).resolves.toEqual({
      confirmed: 1,
      cancelled: 0,
      postponed: 0,
      skipped: 0,
    });

    const saved = await orders.findById(order.id);
    expect(saved?.toSnapshot()).toMatchObject({
      status: 'pending_payment',
      currency: 'EUR',
      total: 2500,
      lines: [{ productId: mug.id, sku: 'MUG-1', name: 'Mug', unitPrice: 1250, quantity: 2 }],
      version: 2,
    });
    expect(catalog.heldReservations()).toEqual([order.id]);
    expect(catalog.stockOf(mug.id)).toBe(3);
    expect(events.published).toEqual([
      expect.objectContaining({
        type: ORDER_EVENTS.placed,
        payload: expect.objectContaining({ orderId: order.id, currency: 'EUR', total: 2500 }),
      }),
    ]);
    // Done: the next round has nothing to do.
    await expect(service.confirmDue()).resolves.toMatchObject({ confirmed: 0 });
  });

  it('takes nothing twice when the catalog had reserved for the order already (a lost reply)', async () => {
    const { service, catalog, orders, clock, mug, awaiting } = setup();
    const order = await awaiting();
    catalog.loseReserveReply = true;
    await expect(service.confirmDue()).resolves.toMatchObject({ postponed: 1 });
    expect(catalog.stockOf(mug.id)).toBe(3);

    catalog.loseReserveReply = false;
    clock.advanceMs(1_000);
    await expect(service.confirmDue()).resolves.toMatchObject({ confirmed: 1 });
    expect(catalog.stockOf(mug.id)).toBe(3);
    expect((await orders.findById(order.id))?.status).toBe('pending_payment');
  });

  it.each([
    ['out of stock', 'out_of_stock', 6],
    ['for products no longer sold', 'products_unavailable', 2],
  ] as const)(
    'cancels an awaiting order the catalog refuses (%s), unpaid, so the customer is told',
    async (_case, reason, quantity) => {
      const { service, catalog, orders, events, mug, awaiting } = setup();
      const order = await awaiting(quantity);
      if (reason === 'products_unavailable') mug.active = false;

      await expect(service.confirmDue()).resolves.toMatchObject({ cancelled: 1 });

      expect((await orders.findById(order.id))?.toSnapshot()).toMatchObject({
        status: 'cancelled',
        cancellationReason: reason,
      });
      expect(events.published).toEqual([
        expect.objectContaining({
          type: ORDER_EVENTS.cancelled,
          payload: expect.objectContaining({ orderId: order.id, reason, wasPaid: false }),
        }),
      ]);
      expect(catalog.heldReservations()).toEqual([]);
    },
  );

  it('keeps trying while the catalog is silent, with a doubling pause up to the maximum, and never gives up', async () => {
    const { service, catalog, orders, clock, awaiting } = setup();
    const order = await awaiting();
    catalog.failures.priceAndReserve = NO_ANSWER;

    const pauses: number[] = [];
    for (let round = 0; round < 6; round++) {
      await expect(service.confirmDue()).resolves.toMatchObject({ postponed: 1 });
      const due = orders.nextConfirmationOf(order.id) as Date;
      pauses.push(due.getTime() - clock.now().getTime());
      // Not due before its pause is over.
      await expect(service.confirmDue()).resolves.toMatchObject({ postponed: 0 });
      clock.advanceMs(due.getTime() - clock.now().getTime());
    }
    expect(pauses).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    expect((await orders.findById(order.id))?.status).toBe('awaiting_stock');

    delete catalog.failures.priceAndReserve;
    await expect(service.confirmDue()).resolves.toMatchObject({ confirmed: 1 });
  });

  it('stops a round at the first silence: the rest of the batch waits without a call each', async () => {
    const { service, catalog, orders, awaiting } = setup();
    const first = await awaiting();
    const second = await awaiting(1);
    catalog.failures.priceAndReserve = NO_ANSWER;

    await expect(service.confirmDue()).resolves.toMatchObject({ postponed: 2 });
    expect(catalog.calls).toEqual([`priceAndReserve:${first.id}`]);
    expect(orders.nextConfirmationOf(second.id)).toEqual(orders.nextConfirmationOf(first.id));
  });

  it('holds no stock for an order its customer cancelled while the catalog was reserving it', async () => {
    const { service, catalog, orders, events, cancelling, mug, awaiting } = setup();
    const order = await awaiting();
    catalog.afterReserve = async () => {
      catalog.afterReserve = undefined;
      await cancelling.cancel(order.id, { id: CUSTOMER, isAdmin: false });
    };

    await expect(service.confirmDue()).resolves.toMatchObject({ confirmed: 0, skipped: 1 });

    expect((await orders.findById(order.id))?.status).toBe('cancelled');
    // The cancellation is the only event: the catalog releases the order id on it.
    expect(events.published.map((event) => event.type)).toEqual([ORDER_EVENTS.cancelled]);
    await catalog.releaseStock(order.id);
    expect(catalog.heldReservations()).toEqual([]);
    expect(catalog.stockOf(mug.id)).toBe(5);
  });

  it('asks no reserve for an order its customer cancelled before its turn', async () => {
    const { service, catalog, orders, cancelling, mug, awaiting } = setup();
    const order = await awaiting();
    await cancelling.cancel(order.id, { id: CUSTOMER, isAdmin: false });
    await catalog.releaseStock(order.id);

    await expect(service.confirmDue()).resolves.toMatchObject({ confirmed: 0, postponed: 0 });
    expect(catalog.calls).not.toContain(`priceAndReserve:${order.id}`);
    expect((await orders.findById(order.id))?.status).toBe('cancelled');
    expect(catalog.stockOf(mug.id)).toBe(5);
  });
});
