import { createHash } from 'node:crypto';
import { Logger, type LoggerService } from '@nestjs/common';
// Types only: @nestjs/throttler is CommonJS requiring ESM-only Nest, which Jest cannot load.
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RedisClient } from '#lib/redis';

/**
 * One round trip, atomic: count the hit, start the window on the first hit, and block the caller
 * once the count passes the limit. While blocked, hits are not counted, and the window starts
 * afresh when the block ends (as in Nest's in-memory storage). Times are in milliseconds.
 * Returns { totalHits, msToExpire, isBlocked (0/1), msToBlockExpire }.
 */
const INCREMENT_SCRIPT = `
local hitsKey, blockKey = KEYS[1], KEYS[2]
local ttl, limit, blockDuration = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])

local blockedFor = redis.call('PTTL', blockKey)
if blockedFor > 0 then
  return { tonumber(redis.call('GET', blockKey)), blockedFor, 1, blockedFor }
end

local hits = redis.call('INCR', hitsKey)
local expiresIn = redis.call('PTTL', hitsKey)
if expiresIn < 0 then
  redis.call('PEXPIRE', hitsKey, ttl)
  expiresIn = ttl
end
if hits <= limit then
  return { hits, expiresIn, 0, 0 }
end
if blockDuration > 0 then
  redis.call('DEL', hitsKey)
  redis.call('SET', blockKey, hits, 'PX', blockDuration)
  return { hits, blockDuration, 1, blockDuration }
end
return { hits, expiresIn, 1, expiresIn }
`;
const INCREMENT_SCRIPT_SHA = createHash('sha1').update(INCREMENT_SCRIPT).digest('hex');

/** The package does not export its record type from the entry point. */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

type ScriptReply = [number, number, number, number];

const toSeconds = (milliseconds: number): number => Math.max(1, Math.ceil(milliseconds / 1000));

/**
 * Rate-limit counters in Redis, so every replica of a service shares one limit. Keys are prefixed
 * with the service name: replicas of one service share counters, distinct services do not.
 * If Redis fails, the request is allowed (fail open): a Redis outage must not become a full
 * outage (ADR 0005). Also used directly, through `increment`, for login limits.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly keyPrefix: string;
  private redisAvailable = true;

  constructor(
    private readonly redis: RedisClient,
    serviceName: string,
    private readonly logger: Pick<LoggerService, 'warn' | 'log'> = new Logger(
      RedisThrottlerStorage.name,
    ),
  ) {
    this.keyPrefix = `throttle:${serviceName}:`;
  }

  /**
   * Counts one hit for `key` in a window of `ttl` ms. Past `limit` hits the key is blocked for
   * `blockDuration` ms (or, when that is 0, until the window ends). Times returned are in seconds.
   */
  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    // The hash tag keeps both keys in one Redis Cluster slot, which a multi-key script requires.
    const base = `${this.keyPrefix}{${throttlerName}:${key}}`;
    try {
      const [totalHits, msToExpire, blocked, msToBlockExpire] = await this.runScript(
        [`${base}:hits`, `${base}:blocked`],
        [ttl, limit, blockDuration],
      );
      this.noteRedisAvailable();
      return {
        totalHits,
        timeToExpire: toSeconds(msToExpire),
        isBlocked: blocked === 1,
        timeToBlockExpire: blocked === 1 ? toSeconds(msToBlockExpire) : 0,
      };
    } catch (error) {
      this.noteRedisFailure(error);
      return { totalHits: 0, timeToExpire: toSeconds(ttl), isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  private async runScript(keys: string[], args: number[]): Promise<ScriptReply> {
    try {
      return (await this.redis.evalsha(
        INCREMENT_SCRIPT_SHA,
        keys.length,
        ...keys,
        ...args,
      )) as ScriptReply;
    } catch (error) {
      // First use on this Redis (or after a restart/flush): send the script body once.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return (await this.redis.eval(
        INCREMENT_SCRIPT,
        keys.length,
        ...keys,
        ...args,
      )) as ScriptReply;
    }
  }

  /** Logs the transitions only, so an outage yields two lines rather than one per request. */
  private noteRedisFailure(error: unknown): void {
    if (!this.redisAvailable) return;
    this.redisAvailable = false;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(`rate limiting suspended, requests are allowed: Redis failed (${reason})`);
  }

  private noteRedisAvailable(): void {
    if (this.redisAvailable) return;
    this.redisAvailable = true;
    this.logger.log('rate limiting resumed: Redis answers again');
  }
}
