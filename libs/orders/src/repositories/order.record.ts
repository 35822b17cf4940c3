import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './bigint-as-number.js';

/** Row of orders.orders: a persistence shape only; the domain object is `Order`. */
@Entity({ schema: 'orders', name: 'orders' })
export class OrderRecord {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  customerId!: string;

  @Column('varchar', { length: 32 })
  status!: string;

  /** Null until the catalog priced the order (awaiting_stock, or cancelled while awaiting). */
  @Column('char', { length: 3, nullable: true })
  currency!: string | null;

  @Column('bigint', { transformer: bigintAsNumber, nullable: true })
  total!: number | null;

  /** `[{ productId, quantity }]` as asked for; null on orders saved before it was kept. */
  @Column('jsonb', { nullable: true })
  requestedItems!: { productId: string; quantity: number }[] | null;

  /** When the stock confirmer tries an awaiting_stock order next (its lease, or its backoff). */
  @Column('timestamptz', { nullable: true })
  nextConfirmationAt!: Date | null;

  @Column('integer', { default: 0 })
  confirmationAttempts!: number;

  /** The app whose stock confirmer works the order; set once, on insert (see the repository). */
  @Column('text', { nullable: true })
  owner!: string | null;

  @Column('uuid', { nullable: true })
  paymentId!: string | null;

  @Column('varchar', { length: 32, nullable: true })
  cancellationReason!: string | null;

  @Column('integer')
  version!: number;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz')
  updatedAt!: Date;
}
