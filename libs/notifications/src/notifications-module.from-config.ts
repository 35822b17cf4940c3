import type { DynamicModule } from '@nestjs/common';
import { AppConfig } from '#lib/config';
import { NotificationsModule } from './notifications.module.js';

/** The notifications context configured from the validated environment: what every app that serves it imports. */
export const notificationsModuleFromConfig = (): DynamicModule =>
  NotificationsModule.forRootAsync({
    inject: [AppConfig],
    useFactory: (config: AppConfig) => ({
      redisUrl: config.redis.url,
      serviceName: config.serviceName,
      ...config.notifications,
    }),
  });
