import { ApiProperty } from '@nestjs/swagger';
import type { NotificationPage } from '../../services/list-notifications.service.js';
import { NotificationResponseDto } from './notification.response.dto.js';

export class NotificationPageResponseDto {
  @ApiProperty({ type: [NotificationResponseDto] })
  items!: NotificationResponseDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` to get the next page; null on the last page',
  })
  nextCursor!: string | null;

  static from(page: NotificationPage): NotificationPageResponseDto {
    return {
      items: page.notifications.map((notification) => NotificationResponseDto.from(notification)),
      nextCursor: page.nextCursor ?? null,
    };
  }
}
