import { ImmediateUnitOfWork, ManualClock, RecordingEventPublisher } from '#lib/testing';
import { OrdersSettings, type OrdersModuleOptions } from '../services/orders-settings.js';
import { FakeCatalogClient } from './fake-catalog.client.js';
import { InMemoryIdempotencyKeyRepository } from './in-memory-idempotency-key.repository.js';
import { InMemoryOrderRepository } from './in-memory-order.repository.js';

/** One set of port fakes for a unit test, wired like the module wires the real adapters. */
export function ordersFakes(options: OrdersModuleOptions = {}) {
  return {
    orders: new InMemoryOrderRepository(),
    idempotencyKeys: new InMemoryIdempotencyKeyRepository(),
    catalog: new FakeCatalogClient(),
    events: new RecordingEventPublisher(),
    unitOfWork: new ImmediateUnitOfWork(),
    clock: new ManualClock(),
    settings: new OrdersSettings({
      idempotencyWaitMs: 1_000,
      idempotencyPollIntervalMs: 5,
      ...options,
    }),
  };
}

export type OrdersFakes = ReturnType<typeof ordersFakes>;
