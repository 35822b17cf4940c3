import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles } from '#lib/guards';
import { ListFailedDeliveriesService } from '../services/list-failed-deliveries.service.js';
import { ListNotificationsService } from '../services/list-notifications.service.js';
import { FailedJobsResponseDto } from './dto/failed-jobs.response.dto.js';
import { ListFailedJobsQueryDto } from './dto/list-failed-jobs.query.dto.js';
import { ListNotificationsQueryDto } from './dto/list-notifications.query.dto.js';
import { NotificationPageResponseDto } from './dto/notification-page.response.dto.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller({ path: 'notifications', version: '1' })
export class NotificationsHttpController {
  constructor(
    private readonly listNotifications: ListNotificationsService,
    private readonly listFailedDeliveries: ListFailedDeliveriesService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'My notifications',
    description:
      "The caller's own notifications, newest first, whatever their roles. Follow `nextCursor` for more.",
  })
  @ApiOkResponse({ type: NotificationPageResponseDto })
  @ApiBadRequestResponse({
    description: 'Invalid limit (VALIDATION_FAILED) or cursor (NOTIFICATIONS.INVALID_CURSOR)',
  })
  async list(
    @CurrentUser() caller: AuthenticatedUser,
    @Query() query: ListNotificationsQueryDto,
  ): Promise<NotificationPageResponseDto> {
    return NotificationPageResponseDto.from(
      await this.listNotifications.page({
        customerId: caller.id,
        limit: query.limit,
        cursor: query.cursor,
      }),
    );
  }

  @Get('failed-jobs')
  @Roles('admin')
  @ApiOperation({
    summary: 'Dead delivery jobs (admin)',
    description:
      'Delivery jobs that used up every retry. They are kept in the queue until an operator deals with them.',
  })
  @ApiOkResponse({ type: FailedJobsResponseDto })
  @ApiForbiddenResponse({ description: 'The caller is not an admin' })
  async failedJobs(@Query() query: ListFailedJobsQueryDto): Promise<FailedJobsResponseDto> {
    return FailedJobsResponseDto.from(await this.listFailedDeliveries.list(query.limit));
  }
}
