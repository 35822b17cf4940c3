import { defineConfigSection } from '../config-section.js';
import { IntegerVariable } from '../environment-variable.decorators.js';

class ShutdownVariables {
  @IntegerVariable({ min: 0 })
  SHUTDOWN_READINESS_DELAY_MS = 0;

  @IntegerVariable({ min: 1000 })
  SHUTDOWN_GRACE_MS = 25_000;

  // Above the gateways' upstream keepalive_timeout (4 s, docker/nginx): they close first.
  @IntegerVariable({ min: 0 })
  SHUTDOWN_IDLE_CONNECTION_WAIT_MS = 5_000;
}

/** Graceful shutdown: how long readiness is down before draining, and the hard deadline. */
export abstract class ShutdownConfig {
  abstract readonly readinessDelayMs: number;
  abstract readonly graceMs: number;
  /**
   * Once the server stops listening, how long a keep-alive connection with no request in it is
   * left for its client to close: a proxy may be sending on it at the moment the server would
   * close it, and cannot tell whether that request arrived. Set above the proxy's idle timeout
   * for upstream connections, so the proxy is always the side that closes.
   */
  abstract readonly idleConnectionWaitMs: number;
}

export const shutdownConfig = defineConfigSection({
  name: 'shutdown',
  variables: ShutdownVariables,
  settings: ShutdownConfig,
  check: (variables) =>
    variables.SHUTDOWN_IDLE_CONNECTION_WAIT_MS < variables.SHUTDOWN_GRACE_MS / 2
      ? []
      : [
          `SHUTDOWN_IDLE_CONNECTION_WAIT_MS (${variables.SHUTDOWN_IDLE_CONNECTION_WAIT_MS}) must be less than half of SHUTDOWN_GRACE_MS (${variables.SHUTDOWN_GRACE_MS}): the other half is for closing the app`,
        ],
  build: (variables): ShutdownConfig => ({
    readinessDelayMs: variables.SHUTDOWN_READINESS_DELAY_MS,
    graceMs: variables.SHUTDOWN_GRACE_MS,
    idleConnectionWaitMs: variables.SHUTDOWN_IDLE_CONNECTION_WAIT_MS,
  }),
});
