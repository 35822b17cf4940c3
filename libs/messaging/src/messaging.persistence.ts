import type { DatabaseFeature } from '#lib/database';
import { ProcessedMessageRecord } from './consumer/processed-message.record.js';
import { DeadLetterRecord } from './delivery/dead-letter.record.js';
import { CreateMessagingSchema1767312000000 } from './migrations/1767312000000-create-messaging-schema.js';
import { AddOutboxLeases1767916800000 } from './migrations/1767916800000-add-outbox-leases.js';
import { CreateDeliveryRetries1768003200000 } from './migrations/1768003200000-create-delivery-retries.js';
import { AddMessageOwners1768089600000 } from './migrations/1768089600000-add-message-owners.js';
import { OutboxMessageRecord } from './outbox/outbox-message.record.js';

/** The `messaging` schema: what `DatabaseModule.forFeature` registers, and tests build from. */
export const MESSAGING_PERSISTENCE: DatabaseFeature = {
  schema: 'messaging',
  entities: [OutboxMessageRecord, ProcessedMessageRecord, DeadLetterRecord],
  migrations: [
    CreateMessagingSchema1767312000000,
    CreateDeliveryRetries1768003200000,
    AddOutboxLeases1767916800000,
    AddMessageOwners1768089600000,
  ],
};
