import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { MessageEnvelope } from '#lib/contracts';
import { EventPublisher, MessagingSchemas, OutboxEventPublisher } from '#lib/messaging';
import type { DataSource } from 'typeorm';
import { TypeormIdempotencyKeyRepository } from '../../../libs/orders/src/repositories/idempotency-key.typeorm-repository.js';
import { TypeormOrderRepository } from '../../../libs/orders/src/repositories/order.typeorm-repository.js';
import {
  type OrdersModuleOptions,
  OrdersSettings,
} from '../../../libs/orders/src/services/orders-settings.js';
import { PlaceOrderService } from '../../../libs/orders/src/services/place-order.service.js';
import { FakeCatalogClient } from '../../../libs/orders/src/testing/fake-catalog.client.js';
import { ManualClock } from '#lib/testing';
import { openOrdersDatabase } from './orders-database.js';

/**
 * The real outbox, under a test-only event name: the rows are the ones the service writes, in its
 * transaction, yet no consumer anywhere would act on them.
 */
class RenamingOutboxPublisher extends EventPublisher {
  failAfterInsert = false;
  /** Runs inside the placing transaction, after the order row was inserted, before it commits. */
  whileSaving?: () => Promise<void>;

  constructor(private readonly outbox: OutboxEventPublisher) {
    super();
  }

  async publish(envelopes: readonly MessageEnvelope[]): Promise<void> {
    await this.whileSaving?.();
    await this.outbox.publish(
      envelopes.map((envelope) => ({ ...envelope, type: `${envelope.type}-test` })),
    );
    if (this.failAfterInsert) throw new Error('the transaction fails after the outbox insert');
  }
}

describe('placing an order against PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof openOrdersDatabase>>;
  let dataSource: DataSource;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    database = await openOrdersDatabase();
    dataSource = database.dataSource;
  });

  const customerIds: string[] = [];

  afterAll(async () => {
    // The database is this suite's own; still, leave nothing behind.
    const orderIds = (
      await dataSource.query<{ id: string }[]>(
        'SELECT id FROM orders.orders WHERE customer_id = ANY($1::uuid[])',
        [customerIds],
      )
    ).map((row) => row.id);
    await dataSource.query(`DELETE FROM orders.outbox WHERE payload->>'orderId' = ANY($1)`, [
      orderIds,
    ]);
    await dataSource.query('DELETE FROM orders.orders WHERE customer_id = ANY($1::uuid[])', [
      customerIds,
    ]);
    await dataSource.query(
      'DELETE FROM orders.idempotency_keys WHERE customer_id = ANY($1::uuid[])',
      [customerIds],
    );
    await database.close();
  });

  function setup(options: OrdersModuleOptions = {}) {
    const { transactions } = database;
    const catalog = new FakeCatalogClient();
    const events = new RenamingOutboxPublisher(
      new OutboxEventPublisher(transactions, new MessagingSchemas(['orders'])),
    );
    const clock = new ManualClock(new Date());
    const service = new PlaceOrderService(
      new TypeormOrderRepository(transactions),
      new TypeormIdempotencyKeyRepository(transactions),
      catalog,
      events,
      transactions,
      clock,
      new OrdersSettings({ idempotencyWaitMs: 5_000, idempotencyPollIntervalMs: 10, ...options }),
    );
    const product = catalog.addProduct({ stock: 100 });
    const customerId = randomUUID();
    customerIds.push(customerId);
    return { service, catalog, events, clock, product, customerId };
  }

  const ordersOf = (customerId: string) =>
    dataSource.query<{ id: string }[]>('SELECT id FROM orders.orders WHERE customer_id = $1', [
      customerId,
    ]);

  /** A promise the test resolves when it wants, to hold a request up mid-way. */
  function gate(): { opened: Promise<void>; open: () => void } {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { opened, open };
  }

  /** Holds the first call of a hook until the test opens it; `reached` opens when it is called. */
  function pauseOnce(clear: () => void): {
    hook: () => Promise<void>;
    reached: Promise<void>;
    resume: () => void;
  } {
    const reached = gate();
    const resume = gate();
    return {
      hook: async () => {
        clear();
        reached.open();
        await resume.opened;
      },
      reached: reached.opened,
      resume: resume.open,
    };
  }

  const outboxRowsFor = (orderId: string) =>
    dataSource.query<{ type: string }[]>(
      `SELECT type FROM orders.outbox WHERE payload->>'orderId' = $1`,
      [orderId],
    );

  it('creates one order and one outbox event for many concurrent requests with one key', async () => {
    const { service, catalog, product, customerId } = setup();
    const command = {
      customerId,
      idempotencyKey: randomUUID(),
      items: [{ productId: product.id, quantity: 1 }],
    };

    const results = await Promise.all(Array.from({ length: 8 }, () => service.place(command)));

    const orderIds = new Set(results.map((result) => result.order.id));
    expect(orderIds.size).toBe(1);
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    const [orderId] = orderIds;
    expect(await ordersOf(customerId)).toEqual([{ id: orderId }]);
    expect(await outboxRowsFor(orderId)).toEqual([{ type: 'orders.v1.order-placed-test' }]);
    // One catalog request priced the basket and reserved its stock.
    expect(catalog.calls).toEqual([`priceAndReserve:${orderId}`]);
    expect(catalog.stockOf(product.id)).toBe(99);
  });

  it('saves neither order nor event when the transaction fails, and releases the stock', async () => {
    const { service, catalog, events, product, customerId } = setup();
    events.failAfterInsert = true;
    const command = {
      customerId,
      idempotencyKey: randomUUID(),
      items: [{ productId: product.id, quantity: 3 }],
    };

    await expect(service.place(command)).rejects.toThrow('fails after the outbox insert');

    const [reserved] = [...catalog.reservations.keys()];
    expect(await ordersOf(customerId)).toEqual([]);
    expect(await outboxRowsFor(reserved)).toEqual([]);
    expect(catalog.heldReservations()).toEqual([]);
    expect(catalog.stockOf(product.id)).toBe(100);

    events.failAfterInsert = false;
    const retried = await service.place(command);
    expect(retried.replayed).toBe(false);
    expect(await ordersOf(customerId)).toEqual([{ id: retried.order.id }]);
  });

  describe('taking over a claim past its lease while its slow request is still alive', () => {
    const LEASE_MS = 60_000;

    /** Every saved order must still hold its stock: the invariant a release-first takeover broke. */
    const expectEverySavedOrderHoldsItsStock = async (
      customerId: string,
      catalog: FakeCatalogClient,
    ): Promise<string[]> => {
      const saved = (await ordersOf(customerId)).map((row) => row.id);
      expect(catalog.heldReservations().sort()).toEqual([...saved].sort());
      return saved;
    };

    /**
     * The original request of one key stalls where `pauseOriginal` installs its hook; past the lease
     * a retry takes the key over and stalls right after the original's stock went back; then the
     * original wakes and tries to save, and the retry finishes.
     */
    const raceTakeover = async (
      pauseOriginal: (world: ReturnType<typeof setup>, hook: () => Promise<void>) => () => void,
    ) => {
      const world = setup({ idempotencyLeaseMs: LEASE_MS });
      const { service, catalog, clock, product, customerId } = world;
      const command = {
        customerId,
        idempotencyKey: randomUUID(),
        items: [{ productId: product.id, quantity: 4 }],
      };
      let unhook = (): void => undefined;
      const original = pauseOnce(() => unhook());
      unhook = pauseOriginal(world, original.hook);
      const originalOutcome = service.place(command).then(
        () => 'saved',
        (error: unknown) => (error as Error).message,
      );
      await original.reached;

      clock.advanceMs(LEASE_MS);
      const taker = pauseOnce(() => (catalog.afterRelease = undefined));
      catalog.afterRelease = taker.hook;
      const retry = service.place(command);
      await taker.reached;
      original.resume();
      const outcome = await originalOutcome;
      taker.resume();
      return { ...world, originalOutcome: outcome, retried: await retry };
    };

    it('the slow request that wakes before its save cannot save an order whose stock was released', async () => {
      const { catalog, product, customerId, originalOutcome, retried } = await raceTakeover(
        ({ catalog }, hook) => {
          catalog.afterReserve = hook;
          return () => (catalog.afterReserve = undefined);
        },
      );

      expect(originalOutcome).toMatch(/still in progress/);
      expect(await expectEverySavedOrderHoldsItsStock(customerId, catalog)).toEqual([
        retried.order.id,
      ]);
      expect(catalog.stockOf(product.id)).toBe(96);
    });

    it('a fence that meets the slow request inside its transaction rolls its order back', async () => {
      // The original has inserted its order row, uncommitted, when the takeover comes.
      const { catalog, product, customerId, originalOutcome, retried } = await raceTakeover(
        ({ events }, hook) => {
          events.whileSaving = hook;
          return () => (events.whileSaving = undefined);
        },
      );

      expect(originalOutcome).toMatch(/still in progress/);
      const [abandoned] = [...catalog.reservations.keys()];
      expect(await outboxRowsFor(abandoned)).toEqual([]);
      expect(await expectEverySavedOrderHoldsItsStock(customerId, catalog)).toEqual([
        retried.order.id,
      ]);
      expect(catalog.stockOf(product.id)).toBe(96);
    });

    it('a claim that completed meanwhile is not fenced: its stock stays and the retry replays it', async () => {
      const { service, catalog, clock, product, customerId } = setup({
        idempotencyLeaseMs: LEASE_MS,
      });
      const command = {
        customerId,
        idempotencyKey: randomUUID(),
        items: [{ productId: product.id, quantity: 4 }],
      };
      const original = pauseOnce(() => (catalog.afterReserve = undefined));
      catalog.afterReserve = original.hook;
      const first = service.place(command);
      await original.reached;
      clock.advanceMs(LEASE_MS);
      original.resume();
      const placed = await first;

      const retried = await service.place(command);

      expect(retried).toMatchObject({ replayed: true, order: { id: placed.order.id } });
      expect(await expectEverySavedOrderHoldsItsStock(customerId, catalog)).toEqual([
        placed.order.id,
      ]);
      expect(catalog.stockOf(product.id)).toBe(96);
    });
  });
});
