import { defineConfigSection } from '../config-section.js';
import { IntegerVariable } from '../environment-variable.decorators.js';

class ShutdownVariables {
  @IntegerVariable({ min: 0 })
  SHUTDOWN_READINESS_DELAY_MS = 0;

  @IntegerVariable({ min: 1000 })
  SHUTDOWN_GRACE_MS = 25_000;
}

/** Graceful shutdown: how long readiness is down before draining, and the hard deadline. */
export abstract class ShutdownConfig {
  abstract readonly readinessDelayMs: number;
  abstract readonly graceMs: number;
}

export const shutdownConfig = defineConfigSection({
  name: 'shutdown',
  variables: ShutdownVariables,
  settings: ShutdownConfig,
  build: (variables): ShutdownConfig => ({
    readinessDelayMs: variables.SHUTDOWN_READINESS_DELAY_MS,
    graceMs: variables.SHUTDOWN_GRACE_MS,
  }),
});
