import type { InjectionToken } from '@nestjs/common';

export interface HealthModuleOptions {
  /**
   * `/health/backlog` reports down once the oldest unpublished outbox message is older than this
   * (HEALTH_OUTBOX_MAX_AGE_SECONDS). The relay publishes within a second normally and retries a
   * failing publish for up to a minute between attempts, so minutes of age mean it is stuck.
   */
  readonly outboxMaxAgeSeconds?: number;
}

export interface HealthModuleAsyncOptions {
  readonly inject?: InjectionToken[];
  readonly useFactory: (...dependencies: never[]) => HealthModuleOptions;
}

/** DI token of the options given to `HealthModule.forRoot`; plain `HealthModule` has none. */
export const HEALTH_MODULE_OPTIONS = Symbol('HEALTH_MODULE_OPTIONS');

export const DEFAULT_OUTBOX_MAX_AGE_SECONDS = 300;
