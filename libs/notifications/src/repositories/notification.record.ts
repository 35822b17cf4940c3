import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of notifications.notifications: a persistence shape only; the domain object is `Notification`. */
@Entity({ schema: 'notifications', name: 'notifications' })
export class NotificationRecord {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  customerId!: string;

  @Column('uuid')
  eventId!: string;

  @Column('varchar', { length: 64 })
  template!: string;

  @Column('text')
  subject!: string;

  @Column('text')
  body!: string;

  @Column('varchar', { length: 16 })
  status!: string;

  @Column('integer')
  attempts!: number;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  sentAt!: Date | null;
}
