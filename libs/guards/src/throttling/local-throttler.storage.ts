import { type BackoffPolicy, type BackoffVerdict, delayAfter, toSeconds } from './backoff.js';

/** The package does not export its record type from the entry point. */
export interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

interface WindowEntry {
  hits: number;
  expiresAt: number;
  blockedUntil: number;
  blockedHits: number;
}

interface BackoffEntry {
  attempts: number;
  forgetAt: number;
  delayedUntil: number;
}

/** Past this many keys, expired ones are swept, then the oldest dropped: memory stays bounded. */
const DEFAULT_MAX_KEYS = 50_000;

/**
 * The same counting rules as the Redis scripts of RedisThrottlerStorage, in this process's memory:
 * the fallback while Redis is unreachable. Each replica then counts on its own, so a limit holds
 * per process (N replicas let through up to N times as much) rather than not at all.
 */
export class LocalThrottlerStorage {
  private readonly windows = new Map<string, WindowEntry>();
  private readonly backoffs = new Map<string, BackoffEntry>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = DEFAULT_MAX_KEYS,
  ) {}

  /** As RedisThrottlerStorage.increment: times in ms in, seconds out. */
  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
  ): ThrottlerStorageRecord {
    const now = this.now();
    const existing = this.windows.get(key);
    if (existing && existing.blockedUntil > now) {
      const blockedFor = existing.blockedUntil - now;
      return this.record(existing.blockedHits, blockedFor, true, blockedFor);
    }
    const entry =
      existing && existing.expiresAt > now
        ? existing
        : this.remember(this.windows, key, {
            hits: 0,
            expiresAt: now + ttl,
            blockedUntil: 0,
            blockedHits: 0,
          });
    entry.hits += 1;
    const expiresIn = entry.expiresAt - now;
    if (entry.hits <= limit) return this.record(entry.hits, expiresIn, false, 0);
    if (blockDuration > 0) {
      const hits = entry.hits;
      // The window starts afresh once the block ends, as in the Redis script.
      Object.assign(entry, {
        hits: 0,
        expiresAt: 0,
        blockedUntil: now + blockDuration,
        blockedHits: hits,
      });
      return this.record(hits, blockDuration, true, blockDuration);
    }
    return this.record(entry.hits, expiresIn, true, expiresIn);
  }

  /** As RedisThrottlerStorage.backoff. */
  backoff(key: string, policy: BackoffPolicy): BackoffVerdict {
    const now = this.now();
    const existing = this.backoffs.get(key);
    if (existing && existing.delayedUntil > now) {
      return { allowed: false, retryAfterSeconds: toSeconds(existing.delayedUntil - now) };
    }
    const entry =
      existing && existing.forgetAt > now
        ? existing
        : this.remember(this.backoffs, key, { attempts: 0, forgetAt: 0, delayedUntil: 0 });
    entry.attempts += 1;
    const delay = delayAfter(entry.attempts, policy);
    entry.delayedUntil = now + delay;
    entry.forgetAt = now + delay + policy.memoryMs;
    return { allowed: true };
  }

  clear(key: string): void {
    this.backoffs.delete(key);
  }

  private record(
    totalHits: number,
    msToExpire: number,
    isBlocked: boolean,
    msToBlockExpire: number,
  ): ThrottlerStorageRecord {
    return {
      totalHits,
      timeToExpire: toSeconds(msToExpire),
      isBlocked,
      timeToBlockExpire: isBlocked ? toSeconds(msToBlockExpire) : 0,
    };
  }

  private remember<Entry>(entries: Map<string, Entry>, key: string, entry: Entry): Entry {
    entries.delete(key);
    if (entries.size >= this.maxKeys) this.sweep();
    // Still full of live keys: drop the oldest (Map keeps insertion order).
    for (const oldest of entries.keys()) {
      if (entries.size < this.maxKeys) break;
      entries.delete(oldest);
    }
    entries.set(key, entry);
    return entry;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.windows) {
      if (entry.expiresAt <= now && entry.blockedUntil <= now) this.windows.delete(key);
    }
    for (const [key, entry] of this.backoffs) {
      if (entry.forgetAt <= now && entry.delayedUntil <= now) this.backoffs.delete(key);
    }
  }
}
