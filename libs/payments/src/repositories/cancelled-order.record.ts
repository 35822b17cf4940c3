import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of payments.cancelled_orders: an order cancelled before its placement reached payments. */
@Entity({ schema: 'payments', name: 'cancelled_orders' })
export class CancelledOrderRecord {
  @PrimaryColumn('uuid')
  orderId!: string;

  @Column('uuid')
  customerId!: string;

  @Column('timestamptz')
  cancelledAt!: Date;
}
