import type { DatabaseFeature } from '#lib/database';
import {
  dropOutboxDueIndexMigration,
  messagingTablesMigration,
  outboxClaimIndexMigration,
} from '#lib/messaging';
import { CreateOrdersSchema1767484800000 } from './migrations/1767484800000-create-orders-schema.js';
import { AddIdempotencyClaimFences1768262400000 } from './migrations/1768262400000-add-idempotency-claim-fences.js';
import { AddAwaitingStockOrders1768608000000 } from './migrations/1768608000000-add-awaiting-stock-orders.js';
import { OwnOrdersPerApp1768784400000 } from './migrations/1768784400000-own-orders-per-app.js';
import { IdempotencyKeyRecord } from './repositories/idempotency-key.record.js';
import { OrderLineRecord } from './repositories/order-line.record.js';
import { OrderRecord } from './repositories/order.record.js';

/** The orders context's Postgres schema, tables and migrations, in the order they apply. */
export const ORDERS_PERSISTENCE: DatabaseFeature = {
  schema: 'orders',
  entities: [OrderRecord, OrderLineRecord, IdempotencyKeyRecord],
  migrations: [
    CreateOrdersSchema1767484800000,
    AddIdempotencyClaimFences1768262400000,
    // Its outbox, processed messages, dead letters and delivery retries, in this schema.
    messagingTablesMigration('orders', 1768356000000),
    AddAwaitingStockOrders1768608000000,
    OwnOrdersPerApp1768784400000,
    // Its relay's claims walk unpublished rows in order (ADR 0060).
    outboxClaimIndexMigration('orders', 1768867202000),
    // Its outbox's due index, unused since then (ADR 0060, amended).
    dropOutboxDueIndexMigration('orders', 1768953602000),
  ],
};
