import { defineConfigSection, IntegerVariable } from '#lib/config';

class NotificationsVariables {
  @IntegerVariable({ min: 1 })
  NOTIFICATIONS_JOB_ATTEMPTS = 5;

  @IntegerVariable({ min: 1 })
  NOTIFICATIONS_JOB_BACKOFF_MS = 1_000;

  @IntegerVariable({ min: 0 })
  NOTIFICATIONS_KEEP_COMPLETED_JOBS = 1_000;

  @IntegerVariable({ min: 10 })
  NOTIFICATIONS_ENQUEUE_TIMEOUT_MS = 2_000;
}

/** The notifications context's settings from the environment (NOTIFICATIONS_*); inject it by this class. */
export abstract class NotificationsConfig {
  abstract readonly jobAttempts: number;
  abstract readonly jobBackoffMs: number;
  abstract readonly keepCompletedJobs: number;
  abstract readonly enqueueTimeoutMs: number;
}

/** Validated only in an app that runs notifications (`NotificationsModule.forRootFromEnv()`). */
export const notificationsConfig = defineConfigSection({
  name: 'notifications',
  variables: NotificationsVariables,
  settings: NotificationsConfig,
  build: (variables): NotificationsConfig => ({
    jobAttempts: variables.NOTIFICATIONS_JOB_ATTEMPTS,
    jobBackoffMs: variables.NOTIFICATIONS_JOB_BACKOFF_MS,
    keepCompletedJobs: variables.NOTIFICATIONS_KEEP_COMPLETED_JOBS,
    enqueueTimeoutMs: variables.NOTIFICATIONS_ENQUEUE_TIMEOUT_MS,
  }),
});
