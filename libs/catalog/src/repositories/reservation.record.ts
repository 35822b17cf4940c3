import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of catalog.reservations: one per order; its lines are a value of the row, never queried alone. */
@Entity({ schema: 'catalog', name: 'reservations' })
export class ReservationRecord {
  @PrimaryColumn('uuid')
  orderId!: string;

  @Column('jsonb')
  lines!: { productId: string; quantity: number }[];

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  releasedAt!: Date | null;
}
