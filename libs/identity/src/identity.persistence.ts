import type { DatabaseFeature } from '#lib/database';
import {
  dropOutboxDueIndexMigration,
  messagingTablesMigration,
  outboxClaimIndexMigration,
} from '#lib/messaging';
import { CreateIdentitySchema1767225600000 } from './migrations/1767225600000-create-identity-schema.js';
import { RefreshTokenRecord } from './repositories/refresh-token.record.js';
import { UserRecord } from './repositories/user.record.js';

/** The identity context's Postgres schema, tables and migrations, in the order they apply. */
export const IDENTITY_PERSISTENCE: DatabaseFeature = {
  schema: 'identity',
  entities: [UserRecord, RefreshTokenRecord],
  migrations: [
    CreateIdentitySchema1767225600000,
    // Its outbox, processed messages, dead letters and delivery retries, in this schema.
    messagingTablesMigration('identity', 1768348800000),
    // Its relay's claims walk unpublished rows in order (ADR 0060).
    outboxClaimIndexMigration('identity', 1768867200000),
    // Its outbox's due index, unused since then (ADR 0060, amended).
    dropOutboxDueIndexMigration('identity', 1768953600000),
  ],
};
