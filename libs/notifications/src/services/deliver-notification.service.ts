import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '#lib/kernel';
import { NotificationNotFoundError } from '../domain/notification.errors.js';
import { NotificationRepository } from '../repositories/notification.repository.js';
import { Mailer } from './ports/mailer.port.js';

export interface DeliveryAttempt {
  readonly notificationId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Attempts the job is allowed in all; the last failure marks the notification failed. */
  readonly maxAttempts: number;
}

export type DeliveryOutcome = 'sent' | 'already-sent';

/**
 * One delivery attempt of a queued notification, run by the queue's worker. A failure is recorded
 * and rethrown, so the queue retries the job with backoff until its attempts are spent.
 */
@Injectable()
export class DeliverNotificationService {
  private readonly logger = new Logger(DeliverNotificationService.name);

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
  ) {}

  async deliver(attempt: DeliveryAttempt): Promise<DeliveryOutcome> {
    const notification = await this.notifications.findById(attempt.notificationId);
    if (!notification) throw new NotificationNotFoundError(attempt.notificationId);
    // A job that runs again (stalled worker, manual retry) after a success must not mail twice.
    if (notification.status === 'sent') return 'already-sent';

    try {
      await this.mailer.send({
        messageId: notification.id,
        customerId: notification.customerId,
        subject: notification.subject,
        body: notification.body,
      });
    } catch (error) {
      notification.recordFailedAttempt({ lastAttempt: attempt.attempt >= attempt.maxAttempts });
      await this.notifications.saveDelivery(notification).catch((saveError: unknown) => {
        // The delivery error is the one that matters to the queue; this one is only logged.
        this.logger.warn(
          `could not record failed attempt ${attempt.attempt} of notification ${notification.id}: ${String(saveError)}`,
        );
      });
      throw error;
    }

    notification.markSent(this.clock.now());
    await this.notifications.saveDelivery(notification);
    return 'sent';
  }
}
