import type { DatabaseFeature } from '#lib/database';
import {
  dropOutboxDueIndexMigration,
  messagingTablesMigration,
  outboxClaimIndexMigration,
} from '#lib/messaging';
import { CreateNotificationsSchema1767571200000 } from './migrations/1767571200000-create-notifications-schema.js';
import { NotificationRecord } from './repositories/notification.record.js';

/** The notifications context's Postgres schema, tables and migrations, in the order they apply. */
export const NOTIFICATIONS_PERSISTENCE: DatabaseFeature = {
  schema: 'notifications',
  entities: [NotificationRecord],
  migrations: [
    CreateNotificationsSchema1767571200000,
    // Its outbox, processed messages, dead letters and delivery retries, in this schema.
    messagingTablesMigration('notifications', 1768363200000),
    // Its relay's claims walk unpublished rows in order (ADR 0060).
    outboxClaimIndexMigration('notifications', 1768867204000),
    // Its outbox's due index, unused since then (ADR 0060, amended).
    dropOutboxDueIndexMigration('notifications', 1768953604000),
  ],
};
