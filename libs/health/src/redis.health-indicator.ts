import { once } from 'node:events';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { RedisClient } from '#lib/redis';

const CHECK_TIMEOUT_MS = 1_500;

@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisClient,
  ) {}

  check() {
    return this.indicators
      .check('redis')
      .attempt(async ({ signal }) => {
        // Commands fail fast while (re)connecting (no offline queue), so wait for the connection.
        if (this.redis.status !== 'ready') await once(this.redis, 'ready', { signal });
        await this.redis.ping();
      })
      .withTimeout(CHECK_TIMEOUT_MS);
  }
}
