import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of messaging.processed_messages: this consumer has had its effect for this message. */
@Entity({ schema: 'messaging', name: 'processed_messages' })
export class ProcessedMessageRecord {
  @PrimaryColumn('text')
  consumer!: string;

  @PrimaryColumn('uuid')
  messageId!: string;

  @Column({ type: 'timestamptz', insert: false, update: false })
  processedAt!: Date;
}
