import { type MessageEnvelope, ORDER_EVENTS, type OrderCancelledPayload } from '#lib/contracts';
import { createEnvelope } from '#lib/messaging';
import { InMemoryIdempotentConsumer } from '#lib/testing';
import { ReleaseStockService } from '../services/release-stock.service.js';
import { ReserveStockService } from '../services/reserve-stock.service.js';
import { catalogFakes } from '../testing/catalog-fakes.js';
import {
  CATALOG_CONSUMERS,
  OrderEventsMessageController,
} from './order-events.message.controller.js';

const ORDER = '7d0f3c36-3d59-4f4e-9c37-0c1f6f1f2a01';
const CUSTOMER = '5d6f8c1e-7c55-4c3e-9d2b-2f9f4d9b7a10';

async function setup() {
  const fakes = catalogFakes();
  const args = fakes.stockPorts;
  const consumer = new InMemoryIdempotentConsumer();
  const controller = new OrderEventsMessageController(consumer, new ReleaseStockService(...args));
  const mug = await fakes.createProduct.create({
    sku: 'MUG',
    name: 'Blue mug',
    priceAmount: 1299,
    currency: 'EUR',
    stock: 5,
  });
  await new ReserveStockService(...args).reserve({
    orderId: ORDER,
    items: [{ productId: mug.id, quantity: 3 }],
  });
  return { ...fakes, consumer, controller, mug };
}

const cancelled = (
  overrides: Partial<OrderCancelledPayload> = {},
): MessageEnvelope<OrderCancelledPayload> =>
  createEnvelope<OrderCancelledPayload>(ORDER_EVENTS.cancelled, {
    orderId: ORDER,
    customerId: CUSTOMER,
    reason: 'cancelled_by_customer',
    wasPaid: false,
    ...overrides,
  });

describe('catalog OrderEventsMessageController', () => {
  it('puts a cancelled order’s stock back and drops the cached copy', async () => {
    const { controller, consumer, products, cache, cacheAside, mug } = await setup();
    await cacheAside.get(mug.id);
    const event = cancelled();

    await controller.onOrderCancelled(event);

    expect(products.stockOf(mug.id)).toBe(5);
    expect(cache.has(mug.id)).toBe(false);
    expect(consumer.processed).toEqual(
      new Set([`${CATALOG_CONSUMERS.releaseOrderStock}/${event.id}`]),
    );
  });

  it.each(['payment_failed', 'cancelled_by_admin', 'cancelled_by_customer'] as const)(
    'releases once however often a cancellation (%s) is delivered or announced',
    async (reason) => {
      const { controller, products, mug } = await setup();
      const event = cancelled({ reason });

      await controller.onOrderCancelled(event);
      await controller.onOrderCancelled(event);
      // A paid order's cancellation is announced again once its late payment is known.
      await controller.onOrderCancelled(cancelled({ reason, wasPaid: true }));

      expect(products.stockOf(mug.id)).toBe(5);
    },
  );
});
