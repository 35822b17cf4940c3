import { type Registry, register } from 'prom-client';

export interface NotificationsModuleOptions {
  /** Redis that holds the delivery queue (REDIS_URL). */
  readonly redisUrl: string;
  /**
   * Names this app's queue keys, `bull:<serviceName>:notifications:*` (SERVICE_NAME): replicas of
   * one service share the queue, other apps and test runs on the same Redis never see its jobs.
   */
  readonly serviceName: string;
  /** Delivery attempts per notification, the first included (NOTIFICATIONS_JOB_ATTEMPTS). */
  readonly jobAttempts?: number;
  /** Wait before the second attempt; it doubles for each further one (NOTIFICATIONS_JOB_BACKOFF_MS). */
  readonly jobBackoffMs?: number;
  /** Completed jobs kept for inspection; older ones are removed. Failed jobs are always kept. */
  readonly keepCompletedJobs?: number;
  /** How long an event handler waits for Redis to take a job before it fails (and is retried). */
  readonly enqueueTimeoutMs?: number;
  /** Where the queue gauges are registered; the registry `/metrics` serves by default. */
  readonly metricsRegistry?: Registry;
}

export interface ResolvedNotificationsOptions {
  readonly redisUrl: string;
  readonly queuePrefix: string;
  readonly jobAttempts: number;
  readonly jobBackoffMs: number;
  readonly keepCompletedJobs: number;
  readonly enqueueTimeoutMs: number;
  readonly metricsRegistry: Registry;
}

/** DI token of the resolved options. */
export const NOTIFICATIONS_OPTIONS = Symbol('NOTIFICATIONS_OPTIONS');

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`notifications option ${name} must be an integer >= 1, got ${value}`);
  }
  return value;
}

export function resolveNotificationsOptions(
  options: NotificationsModuleOptions,
): ResolvedNotificationsOptions {
  if (!options.serviceName) throw new Error('notifications option serviceName is required');
  return {
    redisUrl: options.redisUrl,
    queuePrefix: `bull:${options.serviceName}`,
    jobAttempts: positiveInteger('jobAttempts', options.jobAttempts ?? 5),
    jobBackoffMs: positiveInteger('jobBackoffMs', options.jobBackoffMs ?? 1_000),
    keepCompletedJobs: positiveInteger('keepCompletedJobs', options.keepCompletedJobs ?? 1_000),
    enqueueTimeoutMs: positiveInteger('enqueueTimeoutMs', options.enqueueTimeoutMs ?? 2_000),
    metricsRegistry: options.metricsRegistry ?? register,
  };
}
