import type { MessageEnvelope } from '#lib/contracts';
import { EventPublisher } from '#lib/messaging';

/** Test double: keeps what was published, in order. */
export class RecordingEventPublisher extends EventPublisher {
  readonly published: MessageEnvelope[] = [];

  async publish(envelopes: readonly MessageEnvelope[]): Promise<void> {
    this.published.push(...envelopes);
  }

  types(): string[] {
    return this.published.map((envelope) => envelope.type);
  }
}
