import { ApiProperty } from '@nestjs/swagger';
import type { FailedDelivery } from '../../services/ports/notification-queue.port.js';

export class FailedJobResponseDto {
  @ApiProperty({ example: '0b6e1c52-8f0e-4d7c-9a51-3f0b8f3c2a10:order-placed' })
  jobId!: string;

  @ApiProperty({ format: 'uuid' })
  notificationId!: string;

  @ApiProperty({ type: 'integer', example: 5 })
  attemptsMade!: number;

  @ApiProperty({ description: 'The error of the last attempt', example: 'mail provider timed out' })
  failedReason!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  failedAt!: string | null;

  static from(delivery: FailedDelivery): FailedJobResponseDto {
    return { ...delivery, failedAt: delivery.failedAt?.toISOString() ?? null };
  }
}

export class FailedJobsResponseDto {
  @ApiProperty({ type: 'integer', description: 'Failed jobs kept in the queue, all of them' })
  total!: number;

  @ApiProperty({ type: [FailedJobResponseDto], description: 'The most recent, newest first' })
  items!: FailedJobResponseDto[];

  static from(failed: {
    total: number;
    deliveries: readonly FailedDelivery[];
  }): FailedJobsResponseDto {
    return {
      total: failed.total,
      items: failed.deliveries.map((delivery) => FailedJobResponseDto.from(delivery)),
    };
  }
}
