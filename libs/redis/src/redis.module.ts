import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { RedisConfig, ServiceConfig } from '#lib/config';
import { createRedisClient, RedisClient } from './redis-client.js';

@Global()
@Module({
  providers: [
    {
      provide: RedisClient,
      inject: [RedisConfig, ServiceConfig],
      useFactory: (redis: RedisConfig, service: ServiceConfig): RedisClient => {
        const client = createRedisClient(redis.url, service.name);
        const logger = new Logger('Redis');
        // ioredis emits 'error' on every failed reconnect; without a listener Node would crash.
        client.on('error', (error: Error) => logger.warn(`redis: ${error.message}`));
        return client;
      },
    },
  ],
  exports: [RedisClient],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
