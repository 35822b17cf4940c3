import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import {
  HEALTH_MODULE_OPTIONS,
  type HealthModuleAsyncOptions,
  type HealthModuleOptions,
} from './health-module.options.js';
import { MessagingHealthIndicator } from './messaging.health-indicator.js';
import { OutboxBacklogHealthIndicator } from './outbox-backlog.health-indicator.js';
import { PostgresHealthIndicator } from './postgres.health-indicator.js';
import { ReadinessState } from './readiness-state.js';
import { RedisHealthIndicator } from './redis.health-indicator.js';

/**
 * The probes (`/health/live`, `/health/ready` and its alias `/health`) and the backlog check
 * (`/health/backlog`). Import `HealthModule` as is for the defaults, or `HealthModule.forRoot(Async)`
 * to set thresholds.
 */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ gracefulShutdownTimeoutMs: 0 })],
  controllers: [HealthController],
  providers: [
    ReadinessState,
    PostgresHealthIndicator,
    RedisHealthIndicator,
    MessagingHealthIndicator,
    OutboxBacklogHealthIndicator,
  ],
  exports: [ReadinessState],
})
export class HealthModule {
  static forRoot(options: HealthModuleOptions = {}): DynamicModule {
    return {
      module: HealthModule,
      providers: [{ provide: HEALTH_MODULE_OPTIONS, useValue: options }],
    };
  }

  /** Options from other providers, typically a config section's settings (`inject: [MessagingConfig]`). */
  static forRootAsync(options: HealthModuleAsyncOptions): DynamicModule {
    return {
      module: HealthModule,
      providers: [
        {
          provide: HEALTH_MODULE_OPTIONS,
          useFactory: options.useFactory,
          inject: options.inject ?? [],
        },
      ],
    };
  }
}
