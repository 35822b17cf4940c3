import { type DeadLetter, DeadLetterStore } from '../delivery/dead-letter.store.js';

/** For unit tests: keeps dead letters in an array to assert on. */
export class InMemoryDeadLetterStore extends DeadLetterStore {
  readonly deadLetters: DeadLetter[] = [];

  async record(deadLetter: DeadLetter): Promise<void> {
    this.deadLetters.push(deadLetter);
  }
}
