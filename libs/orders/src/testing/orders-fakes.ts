import { ManualClock, RecordingEventPublisher, RollbackUnitOfWork } from '#lib/testing';
import { OrdersSettings, type OrdersModuleOptions } from '../services/orders-settings.js';
import { FakeCatalogClient } from './fake-catalog.client.js';
import { InMemoryIdempotencyKeyRepository } from './in-memory-idempotency-key.repository.js';
import { InMemoryOrderRepository } from './in-memory-order.repository.js';

/** One set of port fakes for a unit test, wired like the module wires the real adapters. */
export function ordersFakes(options: OrdersModuleOptions = {}) {
  const orders = new InMemoryOrderRepository();
  return {
    orders,
    idempotencyKeys: new InMemoryIdempotencyKeyRepository(),
    catalog: new FakeCatalogClient(),
    events: new RecordingEventPublisher(),
    // Puts the orders back when the work throws, as the transaction would (a failed save saves none).
    unitOfWork: new RollbackUnitOfWork([orders]),
    clock: new ManualClock(),
    settings: new OrdersSettings({
      idempotencyWaitMs: 1_000,
      idempotencyPollIntervalMs: 5,
      ...options,
    }),
  };
}

export type OrdersFakes = ReturnType<typeof ordersFakes>;
