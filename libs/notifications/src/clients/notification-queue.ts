import type { QueueOptions } from 'bull';
import type { Notification } from '../domain/notification.js';
import type { ResolvedNotificationsOptions } from '../notifications-options.js';

/** The Bull queue that delivers notifications, and its one kind of job. */
export const NOTIFICATION_QUEUE = 'notifications';
export const DELIVER_NOTIFICATION_JOB = 'deliver';

export interface DeliverNotificationJob {
  readonly notificationId: string;
}

/**
 * Derived from the event (and template), never random: a redelivered event asks for the same job
 * id, and Bull does not add a job whose id it already holds.
 */
export function deliveryJobId(notification: Notification): string {
  return `${notification.eventId}:${notification.template}`;
}

/** Retries with exponential backoff; dead jobs stay in the failed set for operators to see. */
export function notificationQueueOptions(
  options: ResolvedNotificationsOptions,
): QueueOptions & { url: string } {
  return {
    url: options.redisUrl,
    prefix: options.queuePrefix,
    defaultJobOptions: {
      attempts: options.jobAttempts,
      backoff: { type: 'exponential', delay: options.jobBackoffMs },
      removeOnComplete: options.keepCompletedJobs,
      removeOnFail: false,
    },
  };
}
