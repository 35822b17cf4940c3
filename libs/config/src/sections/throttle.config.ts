import { defineConfigSection } from '../config-section.js';
import { IntegerVariable } from '../environment-variable.decorators.js';

class ThrottleVariables {
  @IntegerVariable({ min: 1000 })
  THROTTLE_TTL_MS = 60_000;

  @IntegerVariable({ min: 1 })
  THROTTLE_LIMIT = 300;

  @IntegerVariable({ min: 1 })
  LOGIN_THROTTLE_LIMIT_PER_ACCOUNT = 5;

  @IntegerVariable({ min: 1 })
  LOGIN_THROTTLE_LIMIT_PER_IP = 20;

  @IntegerVariable({ min: 1000 })
  LOGIN_THROTTLE_WINDOW_MS = 15 * 60_000;

  /** The first login delay; each further failure doubles it, up to LOGIN_THROTTLE_MAX_DELAY_MS. */
  @IntegerVariable({ min: 1000 })
  LOGIN_THROTTLE_BASE_DELAY_MS = 1000;

  @IntegerVariable({ min: 1000 })
  LOGIN_THROTTLE_MAX_DELAY_MS = 15 * 60_000;
}

/** Request limits: every route's default, and the login delays (shared throttler storage). */
export abstract class ThrottleConfig {
  abstract readonly ttlMs: number;
  abstract readonly limit: number;
  abstract readonly loginLimitPerAccount: number;
  abstract readonly loginLimitPerIp: number;
  abstract readonly loginWindowMs: number;
  abstract readonly loginBaseDelayMs: number;
  abstract readonly loginMaxDelayMs: number;
}

export const throttleConfig = defineConfigSection({
  name: 'throttle',
  variables: ThrottleVariables,
  settings: ThrottleConfig,
  build: (variables): ThrottleConfig => ({
    ttlMs: variables.THROTTLE_TTL_MS,
    limit: variables.THROTTLE_LIMIT,
    loginLimitPerAccount: variables.LOGIN_THROTTLE_LIMIT_PER_ACCOUNT,
    loginLimitPerIp: variables.LOGIN_THROTTLE_LIMIT_PER_IP,
    loginWindowMs: variables.LOGIN_THROTTLE_WINDOW_MS,
    loginBaseDelayMs: variables.LOGIN_THROTTLE_BASE_DELAY_MS,
    loginMaxDelayMs: variables.LOGIN_THROTTLE_MAX_DELAY_MS,
  }),
});
