import type { Provider } from '@nestjs/common';
import { AuthConfig } from '#lib/config';
import { RedisClient } from '#lib/redis';
import { CLOCK_TOLERANCE_SECONDS } from './jwt.strategy.js';
import { RevokedSubjects } from './revoked-subjects.js';

/**
 * One per process, on the shared Redis connection. A revocation outlives the longest-lived token
 * it concerns: the access-token lifetime plus the clock skew verifiers tolerate past `exp`.
 */
export const revokedSubjectsProvider: Provider = {
  provide: RevokedSubjects,
  inject: [RedisClient, AuthConfig],
  useFactory: (redis: RedisClient, auth: AuthConfig): RevokedSubjects =>
    new RevokedSubjects(redis, auth.accessTokenTtlSeconds + CLOCK_TOLERANCE_SECONDS),
};
