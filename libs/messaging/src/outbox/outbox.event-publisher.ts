import { Inject, Injectable, Optional } from '@nestjs/common';
import type { MessageEnvelope } from '#lib/contracts';
import { TransactionRunner } from '#lib/database';
import { MESSAGING_OWNER } from '../messaging-options.js';
import { MessagingSchemas } from '../tables/messaging-schemas.js';
import { EventPublisher } from './event-publisher.js';
import { outboxChannel } from './outbox.channel.js';
import { OutboxMessageMapper, type OutboxRow } from './outbox-message.mapper.js';

// One statement per publishing context: its rows, and the NOTIFY that wakes its relays (and no
// other context's), in one round trip. JSON is serialised here, as the wire will see it. Postgres
// runs a data-modifying WITH to completion whether or not the outer query reads it.
const insertOutboxRowsAndNotify = (schema: string) => `
  WITH inserted AS (
    INSERT INTO ${MessagingSchemas.table(schema, 'outbox')} (id, type, payload, headers, owner)
    SELECT *, $5::text FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::jsonb[])
  )
  SELECT pg_notify($6, '')`;

/**
 * Publishes by inserting into the publishing context's outbox (`orders.v1.*` into
 * `orders.outbox`) in the caller's transaction (joined through TransactionRunner), so an event
 * exists if and only if its state change was committed. The NOTIFY is queued by Postgres until
 * that commit, then wakes the relays of the contexts written to (and no other app's): low latency,
 * and nothing is announced for a transaction that rolls back.
 */
@Injectable()
export class OutboxEventPublisher extends EventPublisher {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly schemas: MessagingSchemas,
    /** This app (SERVICE_NAME): its relay, and no other app's, publishes the rows. */
    @Optional() @Inject(MESSAGING_OWNER) private readonly owner?: string,
  ) {
    super();
  }

  async publish(envelopes: readonly MessageEnvelope[]): Promise<void> {
    if (envelopes.length === 0) return;
    // Resolved before anything is written: an event of no context of this app is refused whole.
    const bySchema = new Map<string, OutboxRow[]>();
    for (const envelope of envelopes) {
      const row = OutboxMessageMapper.toRow(envelope);
      const schema = this.schemas.ofEventType(row.type);
      bySchema.set(schema, [...(bySchema.get(schema) ?? []), row]);
    }
    await this.transactions.run(async () => {
      const manager = this.transactions.manager;
      for (const [schema, rows] of bySchema) {
        await manager.query(insertOutboxRowsAndNotify(schema), [
          rows.map((row) => row.id),
          rows.map((row) => row.type),
          rows.map((row) => JSON.stringify(row.payload)),
          rows.map((row) => JSON.stringify(row.headers)),
          this.owner ?? null,
          outboxChannel(schema),
        ]);
      }
    });
  }
}
