import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { PostgresHealthIndicator } from './postgres.health-indicator.js';
import { ReadinessState } from './readiness-state.js';
import { RedisHealthIndicator } from './redis.health-indicator.js';

@Global()
@Module({
  imports: [TerminusModule.forRoot({ gracefulShutdownTimeoutMs: 0 })],
  controllers: [HealthController],
  providers: [ReadinessState, PostgresHealthIndicator, RedisHealthIndicator],
  exports: [ReadinessState],
})
export class HealthModule {}
