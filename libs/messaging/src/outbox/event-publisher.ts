import type { MessageEnvelope } from '#lib/contracts';

/**
 * How a use case publishes its events (port). Call it inside the use case's transaction: the events
 * are then committed, or rolled back, together with the state change they report.
 */
export abstract class EventPublisher {
  abstract publish(envelopes: readonly MessageEnvelope[]): Promise<void>;
}
