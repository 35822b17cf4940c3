import { deliveryJobId } from '../clients/notification-queue.js';
import type { Notification } from '../domain/notification.js';
import {
  type FailedDelivery,
  NotificationQueue,
} from '../services/ports/notification-queue.port.js';

/** Test double with Bull's rule that matters here: a job id it holds is not added again. */
export class InMemoryNotificationQueue extends NotificationQueue {
  readonly jobs = new Map<string, { notificationId: string }>();
  readonly failed: FailedDelivery[] = [];
  available = true;

  enqueueDelivery(notification: Notification): Promise<void> {
    if (!this.available) return Promise.reject(new Error('Redis unavailable'));
    const jobId = deliveryJobId(notification);
    if (!this.jobs.has(jobId)) this.jobs.set(jobId, { notificationId: notification.id });
    return Promise.resolve();
  }

  failedDeliveries(limit: number): Promise<{ total: number; deliveries: FailedDelivery[] }> {
    return Promise.resolve({ total: this.failed.length, deliveries: this.failed.slice(0, limit) });
  }
}
