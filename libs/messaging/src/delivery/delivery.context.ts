import { BaseRpcContext } from '@nestjs/microservices';
import type { MessageMetadata } from '../correlation/message-metadata.js';

type DeliveryContextArgs = [pattern: string, metadata: Partial<MessageMetadata>, attempt: number];

/** What `@Ctx()` gives an event handler, on every transport and for stored retries alike. */
export class DeliveryContext extends BaseRpcContext<DeliveryContextArgs> {
  getPattern(): string {
    return this.args[0];
  }

  getMetadata(): Partial<MessageMetadata> {
    return this.args[1];
  }

  /** 1 for the first delivery of an event, then 2, 3... on retries. */
  getAttempt(): number {
    return this.args[2];
  }
}
