import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { MessageEnvelope } from '#lib/contracts';
import { Clock } from '#lib/kernel';
import { Notification } from '../domain/notification.js';
import type { NotificationTemplate } from '../domain/notification-templates.js';
import { NotificationRepository } from '../repositories/notification.repository.js';
import { NotificationQueue } from './ports/notification-queue.port.js';

/**
 * `queued`: this delivery created the notification and its job. `requeued`: a redelivery found the
 * notification still owed and made sure its job exists. `settled`: it was already sent or failed.
 */
export type NotifyOutcome = 'queued' | 'requeued' | 'settled';

/**
 * Turns an event into a notification for its customer and hands it to the delivery queue, in two
 * steps the message controller calls one after the other: `record`, then `enqueueOwed`. Delivery,
 * with its retries, happens in a job, never in the caller.
 */
@Injectable()
export class NotifyCustomerService {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly queue: NotificationQueue,
    private readonly clock: Clock,
  ) {}

  /**
   * Records the event's notification as queued, once per event and template: undefined when an
   * earlier delivery of the event recorded it (the pair is the notification's unique key, so no
   * processed-message record is kept beside it; ADR 0059). Committed when it returns.
   */
  async record<TPayload extends { readonly customerId: string }>(
    event: MessageEnvelope<TPayload>,
    template: NotificationTemplate<TPayload>,
  ): Promise<Notification | undefined> {
    const notification = Notification.queue({
      id: randomUUID(),
      customerId: event.payload.customerId,
      eventId: event.id,
      template: template.name,
      message: template.render(event.payload),
      now: this.clock.now(),
    });
    return (await this.notifications.insertIfAbsent(notification)) ? notification : undefined;
  }

  /**
   * After the commit, enqueues the delivery of the event's notification if it is still owed.
   * `recorded` is what this delivery recorded; a duplicate delivery has none and the one an
   * earlier delivery committed is looked up.
   *
   * Enqueued after the commit, or a fast worker could look for a row not yet visible. Should
   * enqueueing fail, the handler fails and the event is redelivered: the redelivery is a duplicate
   * that finds the committed notification and enqueues again, which the job id makes idempotent.
   */
  async enqueueOwed(
    event: Pick<MessageEnvelope, 'id'>,
    template: { readonly name: string },
    recorded?: Notification,
  ): Promise<NotifyOutcome> {
    const notification =
      recorded ?? (await this.notifications.findByEvent(event.id, template.name));
    if (!notification || notification.status !== 'queued') return 'settled';
    await this.queue.enqueueDelivery(notification);
    return recorded ? 'queued' : 'requeued';
  }
}
