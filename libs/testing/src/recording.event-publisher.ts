import type { MessageEnvelope } from '#lib/contracts';
import { EventPublisher } from '#lib/messaging';

/** Test double of the outbox publisher: keeps what was published, in order. */
export class RecordingEventPublisher extends EventPublisher {
  readonly published: MessageEnvelope[] = [];

  async publish(envelopes: readonly MessageEnvelope[]): Promise<void> {
    this.published.push(...envelopes);
  }

  /** The published types, in order. */
  types(): string[] {
    return this.published.map((envelope) => envelope.type);
  }

  ofType(type: string): MessageEnvelope[] {
    return this.published.filter((envelope) => envelope.type === type);
  }
}
