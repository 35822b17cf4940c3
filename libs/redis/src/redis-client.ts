import { Redis } from 'ioredis';

/**
 * The process's shared Redis connection (DI token and type). Commands fail fast while Redis is
 * down instead of queueing, so callers can degrade (health reports it; the throttler fails open).
 */
export class RedisClient extends Redis {}

export function createRedisClient(url: string, connectionName: string): RedisClient {
  return new RedisClient(url, {
    connectionName,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    lazyConnect: false,
  });
}
