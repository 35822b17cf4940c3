import { type DynamicModule, Module } from '@nestjs/common';
import { NotificationsHttpController } from './controllers/notifications.http.controller.js';
import {
  NotificationDeliveryModule,
  type NotificationsModuleAsyncOptions,
} from './notification-delivery.module.js';
import { ListFailedDeliveriesService } from './services/list-failed-deliveries.service.js';
import { ListNotificationsService } from './services/list-notifications.service.js';

/**
 * The notifications context: order and payment events become notifications, delivered by Bull
 * jobs through the Mailer port with retries (NotificationDeliveryModule); customers list theirs
 * and admins see dead jobs over HTTP. Needs the platform's global modules (config, database,
 * messaging, guards); owns the `notifications` Postgres schema and, in Redis, the
 * `bull:<serviceName>:notifications:*` keys.
 *
 *   NotificationsModule.forRootAsync({
 *     inject: [AppConfig],
 *     useFactory: (config: AppConfig) => ({ redisUrl: config.redis.url, serviceName: config.serviceName }),
 *   })
 */
@Module({})
export class NotificationsModule {
  static forRootAsync(options: NotificationsModuleAsyncOptions): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [NotificationDeliveryModule.forRootAsync(options)],
      controllers: [NotificationsHttpController],
      providers: [ListNotificationsService, ListFailedDeliveriesService],
    };
  }
}
