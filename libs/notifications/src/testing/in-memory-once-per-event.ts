import { type EventOutcome, OncePerEvent } from '../services/ports/once-per-event.port.js';

/** Test double: remembers (consumer, event) pairs; a failed work leaves no mark, as a rollback would. */
export class InMemoryOncePerEvent extends OncePerEvent {
  private readonly processed = new Set<string>();

  async handle<T>(
    consumer: string,
    event: { readonly id: string },
    work: () => Promise<T>,
  ): Promise<EventOutcome<T>> {
    const key = `${consumer}/${event.id}`;
    if (this.processed.has(key)) return { duplicate: true };
    const result = await work();
    this.processed.add(key);
    return { duplicate: false, result };
  }
}
