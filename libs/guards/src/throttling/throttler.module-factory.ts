import type { DynamicModule } from '@nestjs/common';
import { ThrottlerModule, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { ThrottleConfig } from '#lib/config';
import { RedisThrottlerStorageModule } from './redis-throttler-storage.module.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

/** The default limit of every HTTP route, from THROTTLE_LIMIT per THROTTLE_TTL_MS, stored in Redis. */
export const createThrottlerModule = (): DynamicModule =>
  ThrottlerModule.forRootAsync({
    imports: [RedisThrottlerStorageModule],
    inject: [ThrottleConfig, RedisThrottlerStorage],
    useFactory: (
      throttle: ThrottleConfig,
      storage: RedisThrottlerStorage,
    ): ThrottlerModuleOptions => ({
      throttlers: [{ ttl: throttle.ttlMs, limit: throttle.limit }],
      storage,
      errorMessage: (_context, { timeToBlockExpire }) =>
        `Too many requests; retry after ${timeToBlockExpire} seconds`,
    }),
  });
