import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of messaging.outbox: one event waiting for (or past) its publication. */
@Entity({ schema: 'messaging', name: 'outbox' })
export class OutboxMessageRecord {
  /** The envelope's id. */
  @PrimaryColumn('uuid')
  id!: string;

  /** Insertion order, which the relay publishes in (created_at ties within one transaction). */
  @Column({ type: 'bigint', insert: false, update: false })
  position!: string;

  @Column('text')
  type!: string;

  @Column('jsonb')
  payload!: unknown;

  /** The rest of the envelope: version, occurredAt, correlationId, causationId, traceparent. */
  @Column('jsonb')
  headers!: OutboxHeaders;

  @Column({ type: 'timestamptz', insert: false, update: false })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  publishedAt!: Date | null;

  /** How often a relay claimed the row to publish it: failed publishes and crashed relays count. */
  @Column('integer')
  attempts!: number;

  @Column('text', { nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz', insert: false })
  nextAttemptAt!: Date;

  /** Set while a relay publishes the row; once past, the row may be claimed again. */
  @Column({ type: 'timestamptz', nullable: true, insert: false })
  leaseUntil!: Date | null;
}

export interface OutboxHeaders {
  readonly version: number;
  readonly occurredAt: string;
  readonly correlationId: string;
  readonly causationId?: string;
  readonly traceparent?: string;
}
