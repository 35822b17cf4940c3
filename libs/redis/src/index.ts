export { createRedisClient, RedisClient } from './redis-client.js';
export { RedisModule } from './redis.module.js';
