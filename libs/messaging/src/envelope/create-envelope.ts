import { randomUUID } from 'node:crypto';
import { type MessageEnvelope, messageNameVersion } from '#lib/contracts';
import { CorrelationScope } from '../correlation/correlation-scope.js';
import { currentTraceparent } from '../correlation/trace-context.js';

export interface EnvelopeOptions {
  /** Defaults to the current request's or message's correlation id, else a new one. */
  readonly correlationId?: string;
  /** Defaults to the id of the message being handled, if any. */
  readonly causationId?: string;
  /** When the fact happened; defaults to now. */
  readonly occurredAt?: Date;
}

/**
 * Wraps an event payload in its envelope. Correlation and causation come from the surrounding
 * request or message unless given, so a use case only names the event and its payload.
 */
export function createEnvelope<TPayload>(
  type: string,
  payload: TPayload,
  options: EnvelopeOptions = {},
): MessageEnvelope<TPayload> {
  const version = messageNameVersion(type);
  if (version === undefined) {
    throw new Error(
      `event type "${type}" is not a versioned message name such as "orders.v1.order-placed"`,
    );
  }
  const scope = CorrelationScope.current();
  const causationId = options.causationId ?? scope?.causationId;
  const traceparent = currentTraceparent();
  return {
    id: randomUUID(),
    type,
    version,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    correlationId: options.correlationId ?? scope?.correlationId ?? randomUUID(),
    ...(causationId !== undefined && { causationId }),
    ...(traceparent !== undefined && { traceparent }),
    payload,
  };
}
