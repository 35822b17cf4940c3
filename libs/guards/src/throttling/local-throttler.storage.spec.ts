import type { BackoffPolicy } from './backoff.js';
import { LocalThrottlerStorage } from './local-throttler.storage.js';

const POLICY: BackoffPolicy = {
  freeAttempts: 2,
  baseDelayMs: 1000,
  maxDelayMs: 5000,
  memoryMs: 60_000,
};

function storageAt(start = 1_000_000) {
  let now = start;
  const storage = new LocalThrottlerStorage(() => now, 3);
  return { storage, advance: (ms: number) => (now += ms) };
}

describe('LocalThrottlerStorage', () => {
  describe('increment', () => {
    it('counts hits in a window and blocks past the limit for the block duration', () => {
      const { storage, advance } = storageAt();
      expect(storage.increment('k', 10_000, 2, 4000)).toEqual({
        totalHits: 1,
        timeToExpire: 10,
        isBlocked: false,
        timeToBlockExpire: 0,
      });
      storage.increment('k', 10_000, 2, 4000);
      expect(storage.increment('k', 10_000, 2, 4000)).toMatchObject({
        totalHits: 3,
        isBlocked: true,
        timeToBlockExpire: 4,
      });
      advance(3000);
      expect(storage.increment('k', 10_000, 2, 4000)).toMatchObject({
        isBlocked: true,
        timeToBlockExpire: 1,
      });
      advance(1000);
      expect(storage.increment('k', 10_000, 2, 4000)).toMatchObject({
        totalHits: 1,
        isBlocked: false,
      });
    });

    it('without a block duration, refuses until the window ends', () => {
      const { storage, advance } = storageAt();
      storage.increment('k', 2000, 1, 0);
      expect(storage.increment('k', 2000, 1, 0).isBlocked).toBe(true);
      advance(2000);
      expect(storage.increment('k', 2000, 1, 0)).toMatchObject({ totalHits: 1, isBlocked: false });
    });

    it('keeps at most its key budget, dropping expired keys first, then the oldest', () => {
      const { storage, advance } = storageAt();
      storage.increment('old', 1000, 1, 1000);
      storage.increment('live', 60_000, 1, 60_000);
      storage.increment('live', 60_000, 1, 60_000);
      advance(1000);
      storage.increment('a', 60_000, 5, 0);
      storage.increment('b', 60_000, 5, 0);
      // 'old' had expired and went first; the budget of 3 now drops 'live', the oldest.
      storage.increment('c', 60_000, 5, 0);
      expect(storage.increment('live', 60_000, 1, 60_000).isBlocked).toBe(false);
    });
  });

  describe('backoff', () => {
    it('lets the free attempts through, then makes each wait double, up to the maximum', () => {
      const { storage, advance } = storageAt();
      expect(storage.backoff('k', POLICY)).toEqual({ allowed: true });
      const waits: number[] = [];
      for (let attempt = 0; attempt < 5; attempt += 1) {
        expect(storage.backoff('k', POLICY)).toEqual({ allowed: true });
        const refused = storage.backoff('k', POLICY);
        if (refused.allowed) throw new Error('expected a wait');
        waits.push(refused.retryAfterSeconds);
        advance(refused.retryAfterSeconds * 1000);
      }
      expect(waits).toEqual([1, 2, 4, 5, 5]);
    });

    it('does not count attempts refused during a wait', () => {
      const { storage, advance } = storageAt();
      storage.backoff('k', POLICY);
      storage.backoff('k', POLICY);
      for (let hammer = 0; hammer < 10; hammer += 1) storage.backoff('k', POLICY);
      advance(1000);
      storage.backoff('k', POLICY);
      expect(storage.backoff('k', POLICY)).toEqual({ allowed: false, retryAfterSeconds: 2 });
    });

    it('forgets the count after the memory time, or when cleared', () => {
      const { storage, advance } = storageAt();
      storage.backoff('k', POLICY);
      storage.backoff('k', POLICY);
      advance(1000 + 60_000);
      storage.backoff('k', POLICY);
      expect(storage.backoff('k', POLICY)).toEqual({ allowed: true });
      storage.clear('k');
      expect(storage.backoff('k', POLICY)).toEqual({ allowed: true });
      expect(storage.backoff('k', POLICY)).toEqual({ allowed: true });
    });
  });
});
