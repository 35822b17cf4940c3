import { Inject, Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Job, Queue } from 'bull';
import type { Notification } from '../domain/notification.js';
import {
  NOTIFICATIONS_OPTIONS,
  type ResolvedNotificationsOptions,
} from '../notifications-options.js';
import {
  type FailedDelivery,
  NotificationQueue,
} from '../services/ports/notification-queue.port.js';
import {
  DELIVER_NOTIFICATION_JOB,
  type DeliverNotificationJob,
  deliveryJobId,
  NOTIFICATION_QUEUE,
} from './notification-queue.js';
import { withTimeout } from './with-timeout.js';

/** NotificationQueue on Bull (Redis); the job options come from the queue's defaults. */
@Injectable()
export class BullNotificationQueue extends NotificationQueue {
  constructor(
    @InjectQueue(NOTIFICATION_QUEUE) private readonly queue: Queue<DeliverNotificationJob>,
    @Inject(NOTIFICATIONS_OPTIONS) private readonly options: ResolvedNotificationsOptions,
  ) {
    super();
  }

  async enqueueDelivery(notification: Notification): Promise<void> {
    // While Redis is unreachable, ioredis holds commands back instead of failing them: the timeout
    // turns that into an error, so the event is redelivered rather than stuck in a waiting handler.
    await withTimeout(
      this.queue.add(
        DELIVER_NOTIFICATION_JOB,
        { notificationId: notification.id },
        { jobId: deliveryJobId(notification) },
      ),
      this.options.enqueueTimeoutMs,
      `enqueueing notification ${notification.id}`,
    );
  }

  /** Bull returns the failed set newest first (by finish time). */
  async failedDeliveries(limit: number): Promise<{ total: number; deliveries: FailedDelivery[] }> {
    const [total, jobs] = await Promise.all([
      this.queue.getFailedCount(),
      this.queue.getFailed(0, limit - 1),
    ]);
    const deliveries = jobs
      // A job removed between the two reads comes back null.
      .filter((job): job is Job<DeliverNotificationJob> => job !== null)
      .map((job) => ({
        jobId: String(job.id),
        notificationId: job.data.notificationId,
        attemptsMade: job.attemptsMade,
        failedReason: job.failedReason ?? 'unknown',
        failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
      }));
    return { total, deliveries };
  }
}
