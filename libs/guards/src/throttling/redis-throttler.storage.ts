import { createHash } from 'node:crypto';
import { Logger, type LoggerService } from '@nestjs/common';
// Types only: @nestjs/throttler is CommonJS requiring ESM-only Nest, which Jest cannot load.
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RedisClient } from '#lib/redis';
import { register } from 'prom-client';
import { type BackoffPolicy, type BackoffVerdict, toSeconds } from './backoff.js';
import { LocalThrottlerStorage, type ThrottlerStorageRecord } from './local-throttler.storage.js';
import { ThrottleFallbackMetrics } from './throttle-fallback.metrics.js';
import { TokenLeases } from './token-leases.js';

/**
 * One round trip, atomic: claim `wanted` hits ahead (TokenLeases), never counting past the limit
 * but always the request's own hit; start the window on the first hit, and block the caller once
 * the count passes the limit. While blocked, hits are not counted, and the window starts afresh
 * when the block ends (as in Nest's in-memory storage). Times are in milliseconds. With `wanted`
 * 1 it is the one-hit script of earlier releases, on the same keys: replicas of both can share
 * them during a rolling deployment.
 * Returns { totalHits, msToExpire, isBlocked (0/1), msToBlockExpire, granted }.
 */
const CLAIM_SCRIPT = `
local hitsKey, blockKey = KEYS[1], KEYS[2]
local ttl, limit, blockDuration, wanted =
  tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])

local blockedFor = redis.call('PTTL', blockKey)
if blockedFor > 0 then
  return { tonumber(redis.call('GET', blockKey)), blockedFor, 1, blockedFor, 0 }
end

local counted = tonumber(redis.call('GET', hitsKey)) or 0
local granted = math.max(1, math.min(wanted, limit - counted))
local hits = redis.call('INCRBY', hitsKey, granted)
local expiresIn = redis.call('PTTL', hitsKey)
if expiresIn < 0 then
  redis.call('PEXPIRE', hitsKey, ttl)
  expiresIn = ttl
end
if hits <= limit then
  return { hits, expiresIn, 0, 0, granted }
end
if blockDuration > 0 then
  redis.call('DEL', hitsKey)
  redis.call('SET', blockKey, hits, 'PX', blockDuration)
  return { hits, blockDuration, 1, blockDuration, 0 }
end
return { hits, expiresIn, 1, expiresIn, 0 }
`;

/**
 * One round trip, atomic: the rules of BackoffPolicy (backoff.ts, whose delayAfter this mirrors).
 * While a wait runs, the attempt is refused and not counted. Returns { allowed (0/1), msToWait }.
 */
const BACKOFF_SCRIPT = `
local countKey, delayKey = KEYS[1], KEYS[2]
local free, base, maxDelay, memory =
  tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])

local waitFor = redis.call('PTTL', delayKey)
if waitFor > 0 then
  return { 0, waitFor }
end

local attempts = redis.call('INCR', countKey)
local delay = 0
if attempts >= free then
  delay = math.max(1, math.floor(math.min(base * 2 ^ math.min(attempts - free, 52), maxDelay)))
  redis.call('SET', delayKey, 1, 'PX', delay)
end
redis.call('PEXPIRE', countKey, delay + memory)
return { 1, 0 }
`;

interface LuaScript {
  readonly body: string;
  readonly sha: string;
}
const luaScript = (body: string): LuaScript => ({
  body,
  sha: createHash('sha1').update(body).digest('hex'),
});
const CLAIM = luaScript(CLAIM_SCRIPT);
const BACKOFF = luaScript(BACKOFF_SCRIPT);

type ClaimReply = [number, number, number, number, number];
type BackoffReply = [number, number];

/**
 * Rate-limit counters in Redis, so every replica of a service shares one limit. Keys are prefixed
 * with the service name: replicas of one service share counters, distinct services do not.
 * A busy key costs a round trip per lease of hits claimed ahead, not per request (TokenLeases,
 * ADR 0046); the replicas together still never admit more than the limit.
 * If Redis fails, the decision is taken by an in-process LocalThrottlerStorage with the same rules
 * (limits then hold per replica), and counted in `throttle_fallback_decisions_total`: a Redis
 * outage must neither become a full outage (ADR 0005) nor switch limits off. Every call tries
 * Redis first, so it is used again as soon as it answers. Also used directly, through `increment`,
 * `backoff` and `clear`, for login limits.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly keyPrefix: string;
  private redisAvailable = true;
  /** Claims under way per key: requests arriving meanwhile wait for its tokens. */
  private readonly claims = new Map<string, Promise<unknown>>();

  constructor(
    private readonly redis: RedisClient,
    serviceName: string,
    private readonly logger: Pick<LoggerService, 'warn' | 'log'> = new Logger(
      RedisThrottlerStorage.name,
    ),
    private readonly metrics = new ThrottleFallbackMetrics(register),
    private readonly fallback = new LocalThrottlerStorage(),
    private readonly leases = new TokenLeases(),
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
    const base = this.keyBase(throttlerName, key);
    // Requests that find the lease spent while a claim is under way wait for its tokens rather
    // than claim their own: one claim per key at a time, each serving at least its own request,
    // and the next lease twice as large, so concurrent requests cost one round trip per lease.
    for (;;) {
      const fromLease = this.leases.spend(base);
      if (fromLease !== undefined) return fromLease;
      const underWay = this.claims.get(base);
      if (underWay === undefined) break;
      await underWay;
    }
    const wanted = this.leases.nextClaimSize(base, limit);
    const claim = this.runScript<ClaimReply>(
      CLAIM,
      [`${base}:hits`, `${base}:blocked`],
      [ttl, limit, blockDuration, wanted],
    );
    const forget = (): void => {
      if (this.claims.get(base) === settled) this.claims.delete(base);
    };
    const settled = claim.then(forget, forget);
    this.claims.set(base, settled);
    try {
      const [totalHits, msToExpire, blocked, msToBlockExpire, granted] = await claim;
      this.noteRedisAvailable();
      return this.leases.claimed(base, wanted, {
        totalHits,
        msToExpire,
        blocked: blocked === 1,
        msToBlockExpire,
        granted,
      });
    } catch (error) {
      this.noteRedisFailure(error);
      this.metrics.recordFallbackDecision(throttlerName);
      return this.fallback.increment(base, ttl, limit, blockDuration);
    }
  }

  /** Counts one attempt for `key` under `policy` (backoff.ts), unless a wait is running. */
  async backoff(
    key: string,
    policy: BackoffPolicy,
    throttlerName: string,
  ): Promise<BackoffVerdict> {
    const base = this.keyBase(throttlerName, key);
    try {
      const [allowed, msToWait] = await this.runScript<BackoffReply>(
        BACKOFF,
        [`${base}:attempts`, `${base}:delayed`],
        [policy.freeAttempts, policy.baseDelayMs, policy.maxDelayMs, policy.memoryMs],
      );
      this.noteRedisAvailable();
      return allowed === 1
        ? { allowed: true }
        : { allowed: false, retryAfterSeconds: toSeconds(msToWait) };
    } catch (error) {
      this.noteRedisFailure(error);
      this.metrics.recordFallbackDecision(throttlerName);
      return this.fallback.backoff(base, policy);
    }
  }

  /** Forgets the attempts `backoff` counted for `key` (and any wait), in Redis and locally. */
  async clear(key: string, throttlerName: string): Promise<void> {
    const base = this.keyBase(throttlerName, key);
    this.fallback.clear(base);
    try {
      await this.redis.del(`${base}:attempts`, `${base}:delayed`);
    } catch (error) {
      // Nothing to forget in Redis while it is unreachable: its counts expire on their own.
      this.noteRedisFailure(error);
    }
  }

  /** The hash tag keeps a key's entries in one Redis Cluster slot, which a multi-key script requires. */
  private keyBase(throttlerName: string, key: string): string {
    return `${this.keyPrefix}{${throttlerName}:${key}}`;
  }

  private async runScript<Reply>(
    script: LuaScript,
    keys: string[],
    args: number[],
  ): Promise<Reply> {
    try {
      return (await this.redis.evalsha(script.sha, keys.length, ...keys, ...args)) as Reply;
    } catch (error) {
      // First use on this Redis (or after a restart/flush): send the script body once.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return (await this.redis.eval(script.body, keys.length, ...keys, ...args)) as Reply;
    }
  }

  /** Logs the transitions only, so an outage yields two lines rather than one per request. */
  private noteRedisFailure(error: unknown): void {
    if (!this.redisAvailable) return;
    this.redisAvailable = false;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      `rate limits held per process by the in-process fallback: Redis failed (${reason})`,
    );
  }

  private noteRedisAvailable(): void {
    if (this.redisAvailable) return;
    this.redisAvailable = true;
    this.logger.log('rate limits shared through Redis again: Redis answers');
  }
}
