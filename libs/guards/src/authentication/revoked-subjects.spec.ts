import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import type { RedisClient } from '#lib/redis';
import { Registry } from 'prom-client';
import {
  REVOCATION_CHECKS_SKIPPED_METRIC,
  RevocationCheckMetrics,
} from './revocation-check.metrics.js';
import { RevocationUnavailableError } from './revocation-unavailable.error.js';
import { RevokedSubjects } from './revoked-subjects.js';

/** The two commands RevokedSubjects uses, on a map; `down` makes every command fail. */
class FakeRedis {
  readonly entries = new Map<string, { value: string; ttlSeconds: number }>();
  down = false;

  async set(key: string, value: string, mode: 'EX', ttlSeconds: number): Promise<'OK'> {
    this.failIfDown();
    expect(mode).toBe('EX');
    this.entries.set(key, { value, ttlSeconds });
    return 'OK';
  }

  async exists(key: string): Promise<number> {
    this.failIfDown();
    return this.entries.has(key) ? 1 : 0;
  }

  private failIfDown(): void {
    if (this.down) throw new Error('Connection is closed.');
  }
}

function setUp() {
  const redis = new FakeRedis();
  const registry = new Registry();
  const logger = { warn: jest.fn(), log: jest.fn() };
  const subjects = new RevokedSubjects(
    redis as unknown as RedisClient,
    905,
    logger,
    new RevocationCheckMetrics(registry),
  );
  const skippedChecks = async (): Promise<number> => {
    const metric = await registry.getSingleMetric(REVOCATION_CHECKS_SKIPPED_METRIC)?.get();
    return metric?.values[0]?.value ?? 0;
  };
  return { redis, subjects, logger, skippedChecks };
}

describe('RevokedSubjects', () => {
  it('revokes one subject, with a key that expires after the token lifetime', async () => {
    const { redis, subjects } = setUp();
    const deleted = randomUUID();
    const kept = randomUUID();

    await subjects.revoke(deleted);

    await expect(subjects.isRevoked(deleted)).resolves.toBe(true);
    await expect(subjects.isRevoked(kept)).resolves.toBe(false);
    expect([...redis.entries]).toEqual([
      [`auth:revoked-subject:${deleted}`, { value: '1', ttlSeconds: 905 }],
    ]);
  });

  it('refuses to record a revocation while Redis fails, as a transient error', async () => {
    const { redis, subjects } = setUp();
    redis.down = true;

    const failure = subjects.revoke(randomUUID());

    await expect(failure).rejects.toBeInstanceOf(RevocationUnavailableError);
    await expect(failure).rejects.toMatchObject({ transient: true });
  });

  it('fails open while Redis fails: counts each unchecked token, logs the outage once', async () => {
    const { redis, subjects, logger, skippedChecks } = setUp();
    const deleted = randomUUID();
    await subjects.revoke(deleted);
    redis.down = true;

    await expect(subjects.isRevoked(deleted)).resolves.toBe(false);
    await expect(subjects.isRevoked(deleted)).resolves.toBe(false);

    expect(await skippedChecks()).toBe(2);
    expect(logger.warn).toHaveBeenCalledTimes(1);

    redis.down = false;
    await expect(subjects.isRevoked(deleted)).resolves.toBe(true);
    expect(logger.log).toHaveBeenCalledTimes(1);
  });
});
