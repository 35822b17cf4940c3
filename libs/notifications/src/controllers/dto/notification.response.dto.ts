import { ApiProperty } from '@nestjs/swagger';
import type { Notification } from '../../domain/notification.js';
import {
  NOTIFICATION_STATUSES,
  type NotificationStatus,
} from '../../domain/notification-status.js';

export class NotificationResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'order-placed', description: 'Which kind of event it tells about' })
  template!: string;

  @ApiProperty({ example: 'We received your order 3F2A91C0' })
  subject!: string;

  @ApiProperty()
  body!: string;

  @ApiProperty({
    enum: NOTIFICATION_STATUSES,
    description: '`queued` until delivered (`sent`) or given up after every retry (`failed`)',
  })
  status!: NotificationStatus;

  @ApiProperty({ type: 'integer', description: 'Delivery attempts made so far', example: 1 })
  attempts!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt!: string | null;

  static from(notification: Notification): NotificationResponseDto {
    return {
      id: notification.id,
      template: notification.template,
      subject: notification.subject,
      body: notification.body,
      status: notification.status,
      attempts: notification.attempts,
      createdAt: notification.createdAt.toISOString(),
      sentAt: notification.sentAt?.toISOString() ?? null,
    };
  }
}
