/** One message to one customer, as a mail provider takes it. */
export interface OutgoingMail {
  /**
   * Stable per notification: a provider that deduplicates on it never delivers twice, even when a
   * job runs again after the send succeeded but before the success was recorded.
   */
  readonly messageId: string;
  /** Who receives it. Addresses belong to identity; an SMTP adapter resolves them there. */
  readonly customerId: string;
  readonly subject: string;
  readonly body: string;
}

/** Outbound port to whatever delivers messages to customers; it is also the DI token. */
export abstract class Mailer {
  /** Resolves once the message is accepted for delivery; rejects when it was not. */
  abstract send(mail: OutgoingMail): Promise<void>;
}
