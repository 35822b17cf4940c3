import { Inject, Injectable, Optional } from '@nestjs/common';
import type { MessageEnvelope } from '#lib/contracts';
import { TransactionRunner } from '#lib/database';
import { MESSAGING_OWNER } from '../messaging-options.js';
import { EventPublisher } from './event-publisher.js';
import { OUTBOX_CHANNEL } from './outbox.channel.js';
import { OutboxMessageMapper } from './outbox-message.mapper.js';

// One statement for the whole batch; JSON is serialised here, as the wire will see it.
const INSERT_OUTBOX_ROWS = `
  INSERT INTO messaging.outbox (id, type, payload, headers, owner)
  SELECT *, $5::text FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::jsonb[])`;

/**
 * Publishes by inserting into messaging.outbox in the caller's transaction (joined through
 * TransactionRunner), so an event exists if and only if its state change was committed. The
 * NOTIFY is queued by Postgres until that commit, then wakes the relay: low latency, and nothing
 * is announced for a transaction that rolls back.
 */
@Injectable()
export class OutboxEventPublisher extends EventPublisher {
  constructor(
    private readonly transactions: TransactionRunner,
    /** This app (SERVICE_NAME): its relay, and no other app's, publishes the rows. */
    @Optional() @Inject(MESSAGING_OWNER) private readonly owner?: string,
  ) {
    super();
  }

  async publish(envelopes: readonly MessageEnvelope[]): Promise<void> {
    if (envelopes.length === 0) return;
    const rows = envelopes.map((envelope) => OutboxMessageMapper.toRow(envelope));
    await this.transactions.run(async () => {
      const manager = this.transactions.manager;
      await manager.query(INSERT_OUTBOX_ROWS, [
        rows.map((row) => row.id),
        rows.map((row) => row.type),
        rows.map((row) => JSON.stringify(row.payload)),
        rows.map((row) => JSON.stringify(row.headers)),
        this.owner ?? null,
      ]);
      await manager.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, '']);
    });
  }
}
