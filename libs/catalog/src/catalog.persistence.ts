import type { DatabaseFeature } from '#lib/database';
import {
  dropOutboxDueIndexMigration,
  messagingTablesMigration,
  outboxClaimIndexMigration,
} from '#lib/messaging';
import { CreateCatalogSchema1767398400000 } from './migrations/1767398400000-create-catalog-schema.js';
import { ProductRecord } from './repositories/product.record.js';
import { ReservationRecord } from './repositories/reservation.record.js';

/** The catalog context's Postgres schema, tables and migrations, in the order they apply. */
export const CATALOG_PERSISTENCE: DatabaseFeature = {
  schema: 'catalog',
  entities: [ProductRecord, ReservationRecord],
  migrations: [
    CreateCatalogSchema1767398400000,
    // Its outbox, processed messages, dead letters and delivery retries, in this schema.
    messagingTablesMigration('catalog', 1768352400000),
    // Its relay's claims walk unpublished rows in order (ADR 0060).
    outboxClaimIndexMigration('catalog', 1768867201000),
    // Its outbox's due index, unused since then (ADR 0060, amended).
    dropOutboxDueIndexMigration('catalog', 1768953601000),
  ],
};
