import { BaseRpcContext } from '@nestjs/microservices';
import type { MessageMetadata } from '../correlation/message-metadata.js';

type MessageContextArgs = [pattern: string, metadata: Partial<MessageMetadata>, attempt: number];

/**
 * What `@Ctx()` gives a handler wherever the transport does not have a context of its own: event
 * handlers on every transport (and stored retries), requests in monolith mode.
 */
export class MessageContext extends BaseRpcContext<MessageContextArgs> {
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
