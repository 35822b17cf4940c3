import type { Notification } from '../../domain/notification.js';

/** A delivery job that used up its attempts: kept for an operator to inspect and retry. */
export interface FailedDelivery {
  readonly jobId: string;
  readonly notificationId: string;
  readonly attemptsMade: number;
  readonly failedReason: string;
  readonly failedAt: Date | null;
}

/**
 * The work queue that delivers notifications out of band, with retries; it is also the DI token.
 * Enqueueing is idempotent per notification: asking twice leaves one job.
 */
export abstract class NotificationQueue {
  /** Rejects when the queue cannot take the job (e.g. Redis is down), so the caller can retry. */
  abstract enqueueDelivery(notification: Notification): Promise<void>;

  /** Newest first. */
  abstract failedDeliveries(limit: number): Promise<{
    readonly total: number;
    readonly deliveries: readonly FailedDelivery[];
  }>;
}
