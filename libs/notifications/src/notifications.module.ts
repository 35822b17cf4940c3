import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, RedisConfig, ServiceConfig } from '#lib/config';
import { NotificationsHttpController } from './controllers/notifications.http.controller.js';
import {
  NotificationDeliveryModule,
  type NotificationsModuleAsyncOptions,
} from './notification-delivery.module.js';
import { NotificationsConfig, notificationsConfig } from './notifications.config.js';
import type { NotificationsModuleOptions } from './notifications-options.js';
import { ListFailedDeliveriesService } from './services/list-failed-deliveries.service.js';
import { ListNotificationsService } from './services/list-notifications.service.js';

/**
 * The notifications context: order and payment events become notifications, delivered by Bull
 * jobs through the Mailer port with retries (NotificationDeliveryModule); customers list theirs
 * and admins see dead jobs over HTTP. Needs the platform's global modules (config, database,
 * messaging, guards); owns the `notifications` Postgres schema and, in Redis, the
 * `bull:<serviceName>:notifications:*` keys.
 */
@Module({})
export class NotificationsModule {
  /** What an app that runs notifications imports: options from the `notifications` config section. */
  static forRootFromEnv(): DynamicModule {
    return NotificationsModule.forRootAsync({
      imports: [ConfigModule.forFeature(notificationsConfig)],
      inject: [NotificationsConfig, RedisConfig, ServiceConfig],
      useFactory: (
        config: NotificationsConfig,
        redis: RedisConfig,
        service: ServiceConfig,
      ): NotificationsModuleOptions => ({
        ...config,
        redisUrl: redis.url,
        serviceName: service.name,
      }),
    });
  }

  static forRootAsync(options: NotificationsModuleAsyncOptions): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [NotificationDeliveryModule.forRootAsync(options)],
      controllers: [NotificationsHttpController],
      providers: [ListNotificationsService, ListFailedDeliveriesService],
    };
  }
}
