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

  @Column('char', { length: 3 })
  currency!: string;

  @Column('bigint', { transformer: bigintAsNumber })
  total!: number;

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
