import type { Notification } from '../domain/notification.js';

/** Where a page of notifications starts: after the one with this creation time and id. */
export interface NotificationPosition {
  readonly createdAt: Date;
  readonly id: string;
}

/** Notifications persistence port; it is also the DI token. */
export abstract class NotificationRepository {
  /**
   * Inserts the notification unless its event already has one of its template (false then):
   * that pair is what makes an event notify once, however often it is delivered (ADR 0059).
   */
  abstract insertIfAbsent(notification: Notification): Promise<boolean>;

  abstract findById(id: string): Promise<Notification | null>;

  /** The notification an event produced with this template, if it did. */
  abstract findByEvent(eventId: string, template: string): Promise<Notification | null>;

  /** Stores the delivery outcome: status, attempts and sent time. */
  abstract saveDelivery(notification: Notification): Promise<void>;

  /** A customer's notifications, newest first (ties broken by id), starting after `before`. */
  abstract listForCustomer(
    customerId: string,
    before: NotificationPosition | undefined,
    limit: number,
  ): Promise<Notification[]>;
}
