import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of orders.idempotency_keys: one customer's use of one key. */
@Entity({ schema: 'orders', name: 'idempotency_keys' })
export class IdempotencyKeyRecord {
  @PrimaryColumn('uuid')
  customerId!: string;

  @PrimaryColumn('varchar', { length: 255 })
  key!: string;

  @Column('char', { length: 64 })
  requestHash!: string;

  @Column('uuid')
  orderId!: string;

  @Column('integer', { nullable: true })
  responseStatus!: number | null;

  /** `json`, not `jsonb`: the text is kept as written, so a replay has the very same bytes. */
  @Column('json', { nullable: true })
  responseBody!: object | null;

  @Column('timestamptz', { nullable: true })
  completedAt!: Date | null;

  /** Set when a takeover or the sweeper fenced the unfinished claim; it can no longer complete. */
  @Column('timestamptz', { nullable: true })
  fencedAt!: Date | null;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz')
  expiresAt!: Date;
}
