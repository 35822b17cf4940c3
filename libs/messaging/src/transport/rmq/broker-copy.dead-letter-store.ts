import { Logger } from '@nestjs/common';
import { type DeadLetter, DeadLetterStore } from '../../delivery/dead-letter.store.js';

interface DeadLetterPublisher {
  publishDeadLetter(deadLetter: DeadLetter): Promise<void>;
}

/**
 * Split mode keeps each dead letter twice: in the database, where `messaging:dead-letters` lists
 * and replays it, and in the app's dead-letter queue, where broker tooling and alerts see it.
 * Either copy is enough not to lose the message, so only both failing fails the call.
 */
export class BrokerCopyDeadLetterStore extends DeadLetterStore {
  private readonly log = new Logger(BrokerCopyDeadLetterStore.name);

  constructor(
    private readonly database: DeadLetterStore,
    private readonly broker: DeadLetterPublisher,
  ) {
    super();
  }

  async record(deadLetter: DeadLetter): Promise<void> {
    const [stored, parked] = await Promise.allSettled([
      this.database.record(deadLetter),
      this.broker.publishDeadLetter(deadLetter),
    ]);
    if (stored.status === 'rejected' && parked.status === 'rejected') throw stored.reason;
    if (stored.status === 'rejected') {
      this.log.warn(
        `dead letter kept in the broker only (the database refused it): ${(stored.reason as Error).message}`,
      );
    }
    if (parked.status === 'rejected') {
      this.log.warn(
        `dead letter kept in the database only (the broker refused it): ${(parked.reason as Error).message}`,
      );
    }
  }
}
