import { Inject, Injectable, Optional } from '@nestjs/common';
import type { MessageEnvelope } from '#lib/contracts';
import { TransactionRunner } from '#lib/database';
import { MESSAGING_OWNER } from '../messaging-options.js';
import { MessagingSchemas } from '../tables/messaging-schemas.js';
import { EventPublisher } from './event-publisher.js';
import { outboxChannel } from './outbox.channel.js';
import { OutboxRelay } from './outbox.relay.js';
import type { ClaimedOutboxRow } from './outbox-claims.js';
import { OutboxMessageMapper, type OutboxHeaders } from './outbox-message.mapper.js';

// One statement per publishing context: its rows, and the NOTIFY that wakes its relays (and no
// other context's), in one round trip. JSON is serialised here, as the wire will see it. Postgres
// runs a data-modifying WITH to completion whether or not the outer query reads it.
const insertOutboxRowsAndNotify = (schema: string) => `
  WITH inserted AS (
    INSERT INTO ${MessagingSchemas.table(schema, 'outbox')} (id, type, payload, headers, owner)
    SELECT *, $5::text FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::jsonb[])
  )
  SELECT pg_notify($6, '')`;

// Rows this process's relay publishes once they commit (ADR 0063): leased to it as its claim would
// lease them, and announced to no relay, which would find nothing to claim.
const insertLeasedOutboxRows = (schema: string) => `
  INSERT INTO ${MessagingSchemas.table(schema, 'outbox')}
         (id, type, payload, headers, owner, attempts, lease_until)
  SELECT *, $5::text, 1, clock_timestamp() + make_interval(secs => $6::double precision / 1000)
    FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::jsonb[])`;

/** A row as written: its JSON columns serialised once, for the statement and for the hand-over. */
interface SerialisedRow {
  readonly id: string;
  readonly type: string;
  readonly payload: string;
  readonly headers: string;
}

/**
 * Publishes by inserting into the publishing context's outbox (`orders.v1.*` into
 * `orders.outbox`) in the caller's transaction (joined through TransactionRunner), so an event
 * exists if and only if its state change was committed.
 *
 * When this process's relay has free publish slots, the rows are inserted leased to it and handed
 * over when the transaction commits: published at once, with no NOTIFY and no claim (ADR 0063). A
 * process that dies in between leaves them leased; any relay claims them when the lease ends.
 * Otherwise the NOTIFY, queued by Postgres until that commit, wakes the relays of the contexts
 * written to (and no other app's); nothing is announced for a transaction that rolls back.
 */
@Injectable()
export class OutboxEventPublisher extends EventPublisher {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly schemas: MessagingSchemas,
    /** This app (SERVICE_NAME): its relay, and no other app's, publishes the rows. */
    @Optional() @Inject(MESSAGING_OWNER) private readonly owner?: string,
    @Optional() private readonly relay?: OutboxRelay,
  ) {
    super();
  }

  async publish(envelopes: readonly MessageEnvelope[]): Promise<void> {
    if (envelopes.length === 0) return;
    // Resolved before anything is written: an event of no context of this app is refused whole.
    const bySchema = new Map<string, SerialisedRow[]>();
    for (const envelope of envelopes) {
      const row = OutboxMessageMapper.toRow(envelope);
      const schema = this.schemas.ofEventType(row.type);
      const serialised = {
        id: row.id,
        type: row.type,
        payload: JSON.stringify(row.payload),
        headers: JSON.stringify(row.headers),
      };
      bySchema.set(schema, [...(bySchema.get(schema) ?? []), serialised]);
    }
    await this.transactions.run(async () => {
      const slots = this.relay?.reservePublishSlots(envelopes.length) ?? null;
      if (slots) {
        this.transactions.afterCompletion((committed) => {
          if (committed) slots.publish(handedOver(bySchema));
          else slots.release();
        });
      }
      const manager = this.transactions.manager;
      for (const [schema, rows] of bySchema) {
        const columns = [
          rows.map((row) => row.id),
          rows.map((row) => row.type),
          rows.map((row) => row.payload),
          rows.map((row) => row.headers),
          this.owner ?? null,
        ];
        await (slots
          ? manager.query(insertLeasedOutboxRows(schema), [...columns, slots.leaseMs])
          : manager.query(insertOutboxRowsAndNotify(schema), [...columns, outboxChannel(schema)]));
      }
    });
  }
}

/** The committed rows as a claim would return them: the first attempt, JSON as read back. */
function handedOver(bySchema: ReadonlyMap<string, readonly SerialisedRow[]>): ClaimedOutboxRow[] {
  return [...bySchema].flatMap(([schema, rows]) =>
    rows.map((row) => ({
      id: row.id,
      type: row.type,
      payload: JSON.parse(row.payload) as unknown,
      headers: JSON.parse(row.headers) as OutboxHeaders,
      attempts: 1,
      schema,
    })),
  );
}
