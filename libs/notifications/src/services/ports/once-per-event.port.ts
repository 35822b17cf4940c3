/** Whether the work ran, or the event had been handled before. */
export type EventOutcome<T> =
  { readonly duplicate: false; readonly result: T } | { readonly duplicate: true };

/**
 * Runs a consumer's effect once per event however often it is delivered, atomically with the
 * record that it ran. The messaging library's IdempotentConsumer implements it.
 */
export abstract class OncePerEvent {
  abstract handle<T>(
    consumer: string,
    event: { readonly id: string },
    work: () => Promise<T>,
  ): Promise<EventOutcome<T>>;
}
