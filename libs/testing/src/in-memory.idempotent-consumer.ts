import { type ConsumeOutcome, IdempotentConsumer } from '#lib/messaging';

/**
 * The messaging library's consumer with its processed-message table in memory: a (consumer,
 * message) pair runs its work once; a work that throws leaves no mark, as its rollback would.
 */
export class InMemoryIdempotentConsumer extends IdempotentConsumer {
  /** `<consumer>/<message id>` of every message whose work completed. */
  readonly processed = new Set<string>();

  constructor() {
    // Neither the transaction runner nor the schemas are reached: handle() is replaced below.
    super(undefined as never, undefined as never);
  }

  override async handle<T>(
    consumer: string,
    message: { readonly id: string },
    work: () => Promise<T>,
  ): Promise<ConsumeOutcome<T>> {
    const key = `${consumer}/${message.id}`;
    if (this.processed.has(key)) return { duplicate: true };
    const result = await work();
    this.processed.add(key);
    return { duplicate: false, result };
  }
}
