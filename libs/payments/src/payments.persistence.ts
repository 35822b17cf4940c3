import type { DatabaseFeature } from '#lib/database';
import {
  dropOutboxDueIndexMigration,
  messagingTablesMigration,
  outboxClaimIndexMigration,
} from '#lib/messaging';
import { CreatePaymentsSchema1767488400000 } from './migrations/1767488400000-create-payments-schema.js';
import { ScheduleChargeReconciliation1768176000000 } from './migrations/1768176000000-schedule-charge-reconciliation.js';
import { KeepChargeTraceContext1768366800000 } from './migrations/1768366800000-keep-charge-trace-context.js';
import { OwnPaymentsPerApp1768780800000 } from './migrations/1768780800000-own-payments-per-app.js';
import { CancelledOrderRecord } from './repositories/cancelled-order.record.js';
import { PaymentRecord } from './repositories/payment.record.js';

/** The payments context's Postgres schema, tables and migrations, in the order they apply. */
export const PAYMENTS_PERSISTENCE: DatabaseFeature = {
  schema: 'payments',
  entities: [PaymentRecord, CancelledOrderRecord],
  migrations: [
    CreatePaymentsSchema1767488400000,
    ScheduleChargeReconciliation1768176000000,
    // Its outbox, processed messages, dead letters and delivery retries, in this schema.
    messagingTablesMigration('payments', 1768359600000),
    KeepChargeTraceContext1768366800000,
    OwnPaymentsPerApp1768780800000,
    // Its relay's claims walk unpublished rows in order (ADR 0060).
    outboxClaimIndexMigration('payments', 1768867203000),
    // Its outbox's due index, unused since then (ADR 0060, amended).
    dropOutboxDueIndexMigration('payments', 1768953603000),
  ],
  renamedMigrations: { CreatePaymentsSchema1767488400000: 'CreatePaymentsSchema1767484800000' },
};
