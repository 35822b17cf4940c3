import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { MessageEnvelope } from '#lib/contracts';
import { Notification } from '../domain/notification.js';
import type { NotificationTemplate } from '../domain/notification-templates.js';
import { NotificationRepository } from '../repositories/notification.repository.js';
import { NotificationQueue } from './ports/notification-queue.port.js';
import { OncePerEvent } from './ports/once-per-event.port.js';

/**
 * `queued`: this delivery created the notification and its job. `requeued`: a redelivery found the
 * notification still owed and made sure its job exists. `settled`: it was already sent or failed.
 */
export type NotifyOutcome = 'queued' | 'requeued' | 'settled';

/**
 * Turns an event into a notification for its customer and hands it to the delivery queue. The
 * event handler only enqueues: delivery, with its retries, happens in a job, never in the caller.
 */
@Injectable()
export class NotifyCustomerService {
  constructor(
    private readonly oncePerEvent: OncePerEvent,
    private readonly notifications: NotificationRepository,
    private readonly queue: NotificationQueue,
  ) {}

  async notify<TPayload extends { readonly customerId: string }>(
    event: MessageEnvelope<TPayload>,
    template: NotificationTemplate<TPayload>,
  ): Promise<NotifyOutcome> {
    const outcome = await this.oncePerEvent.handle(
      `notifications.${template.name}`,
      event,
      async () => {
        const notification = Notification.queue({
          id: randomUUID(),
          customerId: event.payload.customerId,
          eventId: event.id,
          template: template.name,
          message: template.render(event.payload),
          now: new Date(),
        });
        await this.notifications.insert(notification);
        return notification;
      },
    );

    // The job is enqueued after the commit, or a fast worker could look for a row not yet visible.
    // Should enqueueing fail, this handler fails and the event is redelivered: the redelivery
    // finds the committed notification and enqueues again, which the job id makes idempotent.
    const notification = outcome.duplicate
      ? await this.notifications.findByEvent(event.id, template.name)
      : outcome.result;
    if (!notification || notification.status !== 'queued') return 'settled';
    await this.queue.enqueueDelivery(notification);
    return outcome.duplicate ? 'requeued' : 'queued';
  }
}
