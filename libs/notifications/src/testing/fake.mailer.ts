import { Mailer, type OutgoingMail } from '../services/ports/mailer.port.js';

/**
 * Test double: records what it delivered and fails the next `failuresLeft` sends (`Infinity`:
 * every send).
 */
export class FakeMailer extends Mailer {
  readonly delivered: OutgoingMail[] = [];
  /** When each send was attempted, failed ones included, in milliseconds since the epoch. */
  readonly attemptedAt: number[] = [];

  constructor(public failuresLeft = 0) {
    super();
  }

  get attempts(): number {
    return this.attemptedAt.length;
  }

  send(mail: OutgoingMail): Promise<void> {
    this.attemptedAt.push(Date.now());
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      return Promise.reject(new Error('mail provider unavailable'));
    }
    this.delivered.push(mail);
    return Promise.resolve();
  }
}
