import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import {
  DELIVER_NOTIFICATION_JOB,
  type DeliverNotificationJob,
  NOTIFICATION_QUEUE,
} from '../clients/notification-queue.js';
import {
  DeliverNotificationService,
  type DeliveryOutcome,
} from '../services/deliver-notification.service.js';

/** Deliveries at once per replica: mail is I/O-bound, so a few run side by side. */
const CONCURRENCY = 5;

/**
 * Inbound adapter of the queue: runs each delivery job. A thrown error fails the attempt, and Bull
 * retries it with the queue's backoff until the job's attempts are spent.
 */
@Processor(NOTIFICATION_QUEUE)
export class NotificationDeliveryJobProcessor {
  constructor(private readonly deliverNotification: DeliverNotificationService) {}

  @Process({ name: DELIVER_NOTIFICATION_JOB, concurrency: CONCURRENCY })
  deliver(job: Job<DeliverNotificationJob>): Promise<DeliveryOutcome> {
    return this.deliverNotification.deliver({
      notificationId: job.data.notificationId,
      // attemptsMade counts the failed attempts before this one.
      attempt: job.attemptsMade + 1,
      maxAttempts: job.opts.attempts ?? 1,
    });
  }
}
