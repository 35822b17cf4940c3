import { type DynamicModule, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { type ModuleOptionsFactory } from '#lib/config';
import { DatabaseModule } from '#lib/database';
import { Clock, SystemClock } from '#lib/kernel';
import { NotificationQueueMetrics } from './clients/notification-queue.metrics.js';
import { NotificationQueueShutdown } from './clients/notification-queue.shutdown.js';
import { NOTIFICATION_QUEUE, notificationQueueOptions } from './clients/notification-queue.js';
import { BullNotificationQueue } from './clients/notification.bull-queue.js';
import { RecordingMailer } from './clients/recording.mailer.js';
import { NotificationDeliveryJobProcessor } from './controllers/notification-delivery.job-processor.js';
import { NotificationEventsMessageController } from './controllers/notification-events.message.controller.js';
import {
  NOTIFICATIONS_OPTIONS,
  type NotificationsModuleOptions,
  type ResolvedNotificationsOptions,
  resolveNotificationsOptions,
} from './notifications-options.js';
import { NOTIFICATIONS_PERSISTENCE } from './notifications.persistence.js';
import { NotificationRepository } from './repositories/notification.repository.js';
import { TypeormNotificationRepository } from './repositories/notification.typeorm-repository.js';
import { DeliverNotificationService } from './services/deliver-notification.service.js';
import { NotifyCustomerService } from './services/notify-customer.service.js';
import { Mailer } from './services/ports/mailer.port.js';
import { NotificationQueue } from './services/ports/notification-queue.port.js';

export type NotificationsModuleAsyncOptions = ModuleOptionsFactory<NotificationsModuleOptions>;

/** Holds the resolved options, so that the queue's own module can inject them too. */
@Module({})
class NotificationsOptionsModule {}

/**
 * The write side of the context, without HTTP: events become notifications, and a Bull job
 * delivers each through the Mailer with retries. NotificationsModule adds the HTTP API on top; it
 * is apart so that it runs without the HTTP platform (workers, integration tests).
 */
@Module({})
export class NotificationDeliveryModule {
  static forRootAsync(options: NotificationsModuleAsyncOptions): DynamicModule {
    const optionsModule: DynamicModule = {
      module: NotificationsOptionsModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: NOTIFICATIONS_OPTIONS,
          inject: options.inject ?? [],
          useFactory: async (...dependencies: never[]) =>
            resolveNotificationsOptions(await options.useFactory(...dependencies)),
        },
      ],
      exports: [NOTIFICATIONS_OPTIONS],
    };
    return {
      module: NotificationDeliveryModule,
      imports: [
        DatabaseModule.forFeature(NOTIFICATIONS_PERSISTENCE),
        optionsModule,
        // @nestjs/bull gives the queue an onApplicationShutdown hook that closes it: active jobs
        // finish and the Redis connections end, so SIGTERM exits cleanly (NotificationQueueShutdown
        // keeps that true while Redis is unreachable).
        BullModule.registerQueueAsync({
          name: NOTIFICATION_QUEUE,
          imports: [optionsModule],
          inject: [NOTIFICATIONS_OPTIONS],
          useFactory: (resolved: ResolvedNotificationsOptions) =>
            notificationQueueOptions(resolved),
        }),
      ],
      controllers: [NotificationEventsMessageController],
      providers: [
        // Ports and the adapters that implement them here.
        { provide: NotificationRepository, useClass: TypeormNotificationRepository },
        { provide: NotificationQueue, useClass: BullNotificationQueue },
        { provide: Mailer, useClass: RecordingMailer },
        { provide: Clock, useClass: SystemClock },
        // Use cases.
        NotifyCustomerService,
        DeliverNotificationService,
        // Inbound adapter of the queue, and its gauges.
        NotificationDeliveryJobProcessor,
        NotificationQueueMetrics,
        NotificationQueueShutdown,
      ],
      exports: [NotificationRepository, NotificationQueue],
    };
  }
}
