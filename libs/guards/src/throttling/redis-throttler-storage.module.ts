import { Module } from '@nestjs/common';
import { AppConfig } from '#lib/config';
import { RedisClient } from '#lib/redis';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

/** One storage per process, shared by the throttler guard and by identity's login limits. */
@Module({
  providers: [
    {
      provide: RedisThrottlerStorage,
      inject: [RedisClient, AppConfig],
      useFactory: (redis: RedisClient, config: AppConfig): RedisThrottlerStorage =>
        new RedisThrottlerStorage(redis, config.serviceName),
    },
  ],
  exports: [RedisThrottlerStorage],
})
export class RedisThrottlerStorageModule {}
