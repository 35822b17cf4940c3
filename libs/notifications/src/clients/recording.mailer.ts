import { Injectable, Logger } from '@nestjs/common';
import { Mailer, type OutgoingMail } from '../services/ports/mailer.port.js';

/** Enough to look at what was just sent, without growing with traffic. */
const KEEP_LAST = 100;

/**
 * The default Mailer: it sends nothing, it records. Development and tests see every message in
 * the log and in `notifications.notifications` (which the delivery service keeps either way); a
 * real provider (SMTP, SES) is another adapter of the same port.
 */
@Injectable()
export class RecordingMailer extends Mailer {
  private readonly logger = new Logger(RecordingMailer.name);
  private readonly recorded: OutgoingMail[] = [];

  send(mail: OutgoingMail): Promise<void> {
    this.recorded.push(mail);
    if (this.recorded.length > KEEP_LAST) this.recorded.shift();
    // The subject only: bodies may carry personal details that do not belong in logs.
    this.logger.log(
      `recorded mail ${mail.messageId} to customer ${mail.customerId}: ${mail.subject}`,
    );
    return Promise.resolve();
  }

  /** The most recent messages, oldest first. */
  get sent(): readonly OutgoingMail[] {
    return [...this.recorded];
  }
}
