import { Module } from '@nestjs/common';
import { ServiceConfig } from '#lib/config';
import { RedisClient } from '#lib/redis';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

/** One storage per process, shared by the throttler guard and by identity's login limits. */
@Module({
  providers: [
    {
      provide: RedisThrottlerStorage,
      inject: [RedisClient, ServiceConfig],
      useFactory: (redis: RedisClient, service: ServiceConfig): RedisThrottlerStorage =>
        new RedisThrottlerStorage(redis, service.name),
    },
  ],
  exports: [RedisThrottlerStorage],
})
export class RedisThrottlerStorageModule {}
