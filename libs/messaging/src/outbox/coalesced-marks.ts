interface WaitingMark {
  readonly ids: readonly string[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface MarkQueue {
  running: boolean;
  readonly waiting: WaitingMark[];
}

/** Writes the marks of one outbox: one statement for every id given. */
export type WriteMarks = (schema: string, ids: readonly string[]) => Promise<void>;

/**
 * Marks of an outbox's rows written one statement at a time per outbox, as a group commit: a mark
 * asked for while none runs is written at once; marks asked for while one runs wait for it and are
 * written together by the next. Idle, nothing waits; under load, one statement marks the rows of
 * many publishes where each publish cost a statement of its own (ADR 0063). A statement that fails
 * fails every mark it carried.
 */
export class CoalescedMarks {
  private readonly queues = new Map<string, MarkQueue>();

  constructor(private readonly write: WriteMarks) {}

  /** Resolves once a statement carrying these ids has completed. */
  mark(schema: string, ids: readonly string[]): Promise<void> {
    let queue = this.queues.get(schema);
    if (!queue) {
      queue = { running: false, waiting: [] };
      this.queues.set(schema, queue);
    }
    const waiting = queue.waiting;
    const marked = new Promise<void>((resolve, reject) => waiting.push({ ids, resolve, reject }));
    if (!queue.running) void this.drain(schema, queue);
    return marked;
  }

  private async drain(schema: string, queue: MarkQueue): Promise<void> {
    queue.running = true;
    try {
      while (queue.waiting.length > 0) {
        const batch = queue.waiting.splice(0);
        try {
          await this.write(
            schema,
            batch.flatMap((mark) => mark.ids),
          );
          for (const mark of batch) mark.resolve();
        } catch (error) {
          for (const mark of batch) mark.reject(error);
        }
      }
    } finally {
      queue.running = false;
    }
  }
}
