import { toSeconds } from './backoff.js';
import type { ThrottlerStorageRecord } from './local-throttler.storage.js';

/** The largest lease, whatever the limit: the most hits one claim may count ahead. */
export const MAX_LEASE = 100;
/** A lease spent within this time of its claim was too small: the next one is twice as large. */
export const LEASE_GROWTH_MS = 1000;
/** Past this many keys, expired leases are swept, then the oldest dropped. */
const DEFAULT_MAX_KEYS = 50_000;

/** What a claim in Redis answered; times in milliseconds from the claim. */
export interface ClaimOutcome {
  readonly totalHits: number;
  readonly msToExpire: number;
  readonly blocked: boolean;
  readonly msToBlockExpire: number;
  /** Hits counted in Redis by the claim: this request's, and the rest for later requests. */
  readonly granted: number;
}

interface Lease {
  /** Hits counted in Redis but not yet made: this process may admit them without asking. */
  tokens: number;
  /** The key's count in Redis at the claim, tokens included. */
  countedHits: number;
  windowEndsAt: number;
  /** Set while the key is refused: the block (or the window over its limit) lasts until then. */
  refusedUntil: number;
  size: number;
  claimedAt: number;
}

/**
 * Rate-limit tokens claimed from Redis ahead of use, per key: a claim counts up to `size` hits
 * there at once (never past the limit), and this process admits that many requests without a
 * round trip. Every admitted hit was counted in Redis before it was admitted, so replicas
 * together never admit more than the limit; a replica's unspent tokens count as hits for the
 * others (they may refuse early by at most what the other replicas hold, one lease each). A key
 * starts with leases of one hit, exactly as before; a lease used up within LEASE_GROWTH_MS
 * doubles the next, up to 5 % of the limit and MAX_LEASE; a slower key falls back to one.
 * A refusal is remembered until Redis said it ends: nobody can lift a block early. ADR 0046.
 */
export class TokenLeases {
  private readonly leases = new Map<string, Lease>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = DEFAULT_MAX_KEYS,
  ) {}

  /** The answer from a token (or a remembered refusal) for `key`, or undefined: claim first. */
  spend(key: string): ThrottlerStorageRecord | undefined {
    const lease = this.leases.get(key);
    if (lease === undefined) return undefined;
    const now = this.now();
    if (lease.refusedUntil > now) {
      const refusedFor = lease.refusedUntil - now;
      return {
        totalHits: lease.countedHits,
        timeToExpire: toSeconds(refusedFor),
        isBlocked: true,
        timeToBlockExpire: toSeconds(refusedFor),
      };
    }
    if (lease.tokens === 0 || lease.windowEndsAt <= now) return undefined;
    lease.tokens -= 1;
    return {
      totalHits: lease.countedHits - lease.tokens,
      timeToExpire: toSeconds(lease.windowEndsAt - now),
      isBlocked: false,
      timeToBlockExpire: 0,
    };
  }

  /** How many hits the next claim for `key` should count (at least 1: the request's own). */
  nextClaimSize(key: string, limit: number): number {
    const lease = this.leases.get(key);
    const cap = Math.max(1, Math.min(MAX_LEASE, Math.floor(limit * 0.05)));
    if (lease === undefined || lease.windowEndsAt <= this.now()) return 1;
    const usedUpFast = lease.tokens === 0 && this.now() - lease.claimedAt < LEASE_GROWTH_MS;
    return usedUpFast ? Math.min(cap, lease.size * 2) : 1;
  }

  /**
   * Records a claim's outcome and answers the request that made it: one of the granted hits is
   * its own. Tokens of an earlier lease are forgotten (they stay counted in Redis).
   */
  claimed(key: string, requested: number, outcome: ClaimOutcome): ThrottlerStorageRecord {
    const now = this.now();
    const lease: Lease = {
      tokens: outcome.blocked ? 0 : Math.max(0, outcome.granted - 1),
      countedHits: outcome.totalHits,
      windowEndsAt: now + outcome.msToExpire,
      refusedUntil: outcome.blocked ? now + outcome.msToBlockExpire : 0,
      size: requested,
      claimedAt: now,
    };
    this.remember(key, lease);
    return {
      totalHits: outcome.totalHits - lease.tokens,
      timeToExpire: toSeconds(outcome.msToExpire),
      isBlocked: outcome.blocked,
      timeToBlockExpire: outcome.blocked ? toSeconds(outcome.msToBlockExpire) : 0,
    };
  }

  private remember(key: string, lease: Lease): void {
    this.leases.delete(key);
    if (this.leases.size >= this.maxKeys) {
      const now = this.now();
      for (const [known, entry] of this.leases) {
        if (entry.windowEndsAt <= now && entry.refusedUntil <= now) this.leases.delete(known);
      }
      // Still full of live keys: drop the oldest (Map keeps insertion order).
      for (const oldest of this.leases.keys()) {
        if (this.leases.size < this.maxKeys) break;
        this.leases.delete(oldest);
      }
    }
    this.leases.set(key, lease);
  }
}
