import { BaseRpcContext } from '@nestjs/microservices';
import type { MessageMetadata } from '../correlation/message-metadata.js';

type InProcessContextArgs = [pattern: string, metadata: Partial<MessageMetadata>, attempt: number];

/** What `@Ctx()` gives a handler on the in-process transport. */
export class InProcessContext extends BaseRpcContext<InProcessContextArgs> {
  getPattern(): string {
    return this.args[0];
  }

  getMetadata(): Partial<MessageMetadata> {
    return this.args[1];
  }

  /** 1 for the first delivery of an event, then 2, 3... on retries; always 1 for a request. */
  getAttempt(): number {
    return this.args[2];
  }
}
