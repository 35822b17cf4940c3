import { Matches } from 'class-validator';
import { defineConfigSection } from '../config-section.js';

class RedisVariables {
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379/0';
}

/** Redis, shared by the throttler, caches and job queues. */
export abstract class RedisConfig {
  abstract readonly url: string;
}

export const redisConfig = defineConfigSection({
  name: 'redis',
  variables: RedisVariables,
  settings: RedisConfig,
  secrets: ['REDIS_URL'],
  build: (variables): RedisConfig => ({ url: variables.REDIS_URL }),
});
