import { NotificationStatusError } from './notification.errors.js';
import type { NotificationStatus } from './notification-status.js';

/** What a template makes of an event: the message the customer reads. */
export interface RenderedMessage {
  readonly subject: string;
  readonly body: string;
}

/** Everything persisted about a notification; the repository maps it to and from rows. */
export interface NotificationSnapshot {
  readonly id: string;
  readonly customerId: string;
  /** Id of the event envelope that caused it: one notification per event and template. */
  readonly eventId: string;
  readonly template: string;
  readonly subject: string;
  readonly body: string;
  readonly status: NotificationStatus;
  /** Delivery attempts made so far, failed ones included. */
  readonly attempts: number;
  readonly createdAt: Date;
  readonly sentAt: Date | null;
}

/**
 * A message owed to a customer because something happened to their order. It is `queued` until a
 * delivery succeeds (`sent`) or the last allowed attempt fails (`failed`).
 */
export class Notification {
  private constructor(private state: NotificationSnapshot) {}

  static queue(input: {
    id: string;
    customerId: string;
    eventId: string;
    template: string;
    message: RenderedMessage;
    now: Date;
  }): Notification {
    return new Notification({
      id: input.id,
      customerId: input.customerId,
      eventId: input.eventId,
      template: input.template,
      subject: input.message.subject,
      body: input.message.body,
      status: 'queued',
      attempts: 0,
      createdAt: input.now,
      sentAt: null,
    });
  }

  static restore(snapshot: NotificationSnapshot): Notification {
    return new Notification({ ...snapshot });
  }

  get id(): string {
    return this.state.id;
  }

  get customerId(): string {
    return this.state.customerId;
  }

  get eventId(): string {
    return this.state.eventId;
  }

  get template(): string {
    return this.state.template;
  }

  get subject(): string {
    return this.state.subject;
  }

  get body(): string {
    return this.state.body;
  }

  get status(): NotificationStatus {
    return this.state.status;
  }

  get attempts(): number {
    return this.state.attempts;
  }

  get createdAt(): Date {
    return this.state.createdAt;
  }

  get sentAt(): Date | null {
    return this.state.sentAt;
  }

  /** Still owed to the customer: no delivery has succeeded yet. */
  get isPending(): boolean {
    return this.state.status !== 'sent';
  }

  /**
   * A delivery succeeded. Allowed after `failed` too: an operator may retry a dead job by hand.
   * Sending twice is refused, so a job that runs again cannot mail the customer twice.
   */
  markSent(now: Date): void {
    if (this.state.status === 'sent') throw new NotificationStatusError(this.state.id, 'sent');
    this.state = {
      ...this.state,
      status: 'sent',
      attempts: this.state.attempts + 1,
      sentAt: now,
    };
  }

  /** A delivery failed; after the last allowed attempt the notification is `failed` for good. */
  recordFailedAttempt(input: { lastAttempt: boolean }): void {
    if (this.state.status === 'sent') throw new NotificationStatusError(this.state.id, 'sent');
    this.state = {
      ...this.state,
      status: input.lastAttempt ? 'failed' : this.state.status,
      attempts: this.state.attempts + 1,
    };
  }

  toSnapshot(): NotificationSnapshot {
    return { ...this.state };
  }
}
