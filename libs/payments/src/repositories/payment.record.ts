import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** pg returns bigint as a string (it may exceed 2^53); amounts in minor units never come close. */
const bigintAsNumber: ValueTransformer = {
  to: (value: number) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** Row of payments.payments: a persistence shape only; the domain object is `Payment`. */
@Entity({ schema: 'payments', name: 'payments' })
export class PaymentRecord {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  orderId!: string;

  @Column('uuid')
  customerId!: string;

  @Column('bigint', { transformer: bigintAsNumber })
  amount!: number;

  @Column('char', { length: 3 })
  currency!: string;

  @Column('text')
  status!: string;

  @Column('integer')
  attempts!: number;

  @Column('timestamptz', { nullable: true })
  nextAttemptAt!: Date | null;

  @Column('boolean')
  cancelRequested!: boolean;

  @Column('text', { nullable: true })
  providerChargeId!: string | null;

  @Column('text', { nullable: true })
  providerRefundId!: string | null;

  @Column('text', { nullable: true })
  failureCode!: string | null;

  @Column('text', { nullable: true })
  failureReason!: string | null;

  @Column('text', { nullable: true })
  lastError!: string | null;

  @Column('text')
  correlationId!: string;

  @Column('text', { nullable: true })
  traceparent!: string | null;

  /** The app whose workers take the payment's due work; set once, on insert (see the repository). */
  @Column('text', { nullable: true })
  owner!: string | null;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz')
  updatedAt!: Date;

  @Column('timestamptz', { nullable: true })
  chargedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  failedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  cancelledAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  refundedAt!: Date | null;
}
