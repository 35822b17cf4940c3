import type { RpcErrorPayload } from '#lib/contracts';

export interface DeadLetter {
  /** The consumer that gave up (`Class.method` or the name in its delivery policy). */
  readonly consumer: string;
  /** The pattern the message was published under. */
  readonly type: string;
  /** The message's id when it had a readable one. */
  readonly messageId?: string;
  /** The message as received: possibly malformed, so any JSON value. */
  readonly envelope: unknown;
  /** Why it was given up, in one line, for whoever reads the dead letters. */
  readonly reason: string;
  readonly error: RpcErrorPayload;
  readonly attempts: number;
}

/** Where messages that cannot be processed are kept for inspection and replay (port). */
export abstract class DeadLetterStore {
  abstract record(deadLetter: DeadLetter): Promise<void>;
}
