import { Logger, type LoggerService } from '@nestjs/common';
import type { RedisClient } from '#lib/redis';
import { register } from 'prom-client';
import { RevocationCheckMetrics } from './revocation-check.metrics.js';
import { RevocationUnavailableError } from './revocation-unavailable.error.js';

/** Shared by every app and both modes: identity writes, every app's JWT strategy reads. */
const KEY_PREFIX = 'auth:revoked-subject:';

/**
 * Subjects (user ids) whose access tokens were all revoked, e.g. because the account was deleted.
 * A key per subject in the shared Redis, kept as long as an access token issued just before the
 * revocation can live (its lifetime plus the verifier's clock tolerance): past that, every such
 * token has expired anyway, so the set stays as small as the revocations of the last minutes.
 * Checking fails open while Redis is unreachable (ADR 0042), counted and logged; recording
 * fails loudly, so a deletion never completes with its tokens still valid.
 */
export class RevokedSubjects {
  private redisAvailable = true;

  constructor(
    private readonly redis: RedisClient,
    /** How long a token issued just before `revoke` may still be accepted, in seconds. */
    private readonly tokenLifetimeSeconds: number,
    private readonly logger: Pick<LoggerService, 'warn' | 'log'> = new Logger(RevokedSubjects.name),
    private readonly metrics = new RevocationCheckMetrics(register),
  ) {}

  /** Every access token of `subject` issued until now is refused from now on, in every app. */
  async revoke(subject: string): Promise<void> {
    try {
      await this.redis.set(this.keyOf(subject), '1', 'EX', this.tokenLifetimeSeconds);
    } catch (error) {
      throw new RevocationUnavailableError({ cause: error });
    }
  }

  /** False too when Redis cannot say: availability over a revocation window (ADR 0042). */
  async isRevoked(subject: string): Promise<boolean> {
    try {
      const revoked = (await this.redis.exists(this.keyOf(subject))) === 1;
      this.noteRedisAvailable();
      return revoked;
    } catch (error) {
      this.noteRedisFailure(error);
      this.metrics.recordSkippedCheck();
      return false;
    }
  }

  private keyOf(subject: string): string {
    return `${KEY_PREFIX}${subject}`;
  }

  /** Logs the transitions only, so an outage yields two lines rather than one per request. */
  private noteRedisFailure(error: unknown): void {
    if (!this.redisAvailable) return;
    this.redisAvailable = false;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(`access tokens accepted without a revocation check: Redis failed (${reason})`);
  }

  private noteRedisAvailable(): void {
    if (this.redisAvailable) return;
    this.redisAvailable = true;
    this.logger.log('revocation checked again: Redis answers');
  }
}
