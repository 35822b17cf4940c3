import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of messaging.dead_letters. */
@Entity({ schema: 'messaging', name: 'dead_letters' })
export class DeadLetterRecord {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  consumer!: string;

  @Column('text')
  type!: string;

  @Column('text', { nullable: true })
  messageId!: string | null;

  @Column('jsonb', { nullable: true })
  envelope!: unknown;

  @Column('text')
  reason!: string;

  @Column('jsonb')
  error!: object;

  @Column('integer')
  attempts!: number;

  @Column({ type: 'timestamptz', insert: false, update: false })
  createdAt!: Date;
}
