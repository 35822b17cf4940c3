import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles } from '#lib/guards';
import { ApiProblemResponses } from '#lib/http-problems';
import { ListFailedDeliveriesService } from '../services/list-failed-deliveries.service.js';
import { ListNotificationsService } from '../services/list-notifications.service.js';
import { FailedJobsResponseDto } from './dto/failed-jobs.response.dto.js';
import { ListFailedJobsQueryDto } from './dto/list-failed-jobs.query.dto.js';
import { ListNotificationsQueryDto } from './dto/list-notifications.query.dto.js';
import { NotificationPageResponseDto } from './dto/notification-page.response.dto.js';

@ApiTags('notifications')
@Controller({ path: 'notifications', version: '1' })
export class NotificationsHttpController {
  constructor(
    private readonly listNotifications: ListNotificationsService,
    private readonly listFailedDeliveries: ListFailedDeliveriesService,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listNotifications',
    summary: 'My notifications',
    description:
      "The caller's own notifications, newest first, whatever their roles. Follow `nextCursor` for more.",
  })
  @ApiOkResponse({ type: NotificationPageResponseDto })
  @ApiProblemResponses({
    400: 'Invalid limit (VALIDATION_FAILED) or cursor (NOTIFICATIONS.INVALID_CURSOR)',
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
    operationId: 'listFailedDeliveryJobs',
    summary: 'Dead delivery jobs (admin)',
    description:
      'Delivery jobs that used up every retry. They are kept in the queue until an operator deals with them.',
  })
  @ApiOkResponse({ type: FailedJobsResponseDto })
  async failedJobs(@Query() query: ListFailedJobsQueryDto): Promise<FailedJobsResponseDto> {
    return FailedJobsResponseDto.from(await this.listFailedDeliveries.list(query.limit));
  }
}
