/**
 * What every event carries, whatever the transport: the payload plus the facts a consumer needs to
 * deduplicate (`id`), route and evolve (`type`, `version`) and trace (`correlationId`,
 * `causationId`, `traceparent`). It crosses a serialisation boundary, so every field is plain JSON.
 */
export interface MessageEnvelope<TPayload = unknown> {
  /** UUID of this message. Consumers record it to ignore redeliveries. */
  readonly id: string;
  /** Versioned name, also the pattern it is published under: `orders.v1.order-placed`. */
  readonly type: string;
  /** Major version of the payload's schema, the `v<n>` of `type`. */
  readonly version: number;
  /** ISO 8601 instant at which the fact happened (not when it was sent). */
  readonly occurredAt: string;
  /** Shared by every message and request that one user action set off. */
  readonly correlationId: string;
  /** Id of the message (or request) whose handling produced this one. */
  readonly causationId?: string;
  /** W3C trace context of the producer, so a trace continues across the hop. */
  readonly traceparent?: string;
  readonly payload: TPayload;
}

/**
 * `<context>.v<major>.<name>[.<name>]`, lower-case words with dashes:
 * `orders.v1.order-placed` (event), `catalog.v1.basket.price` (request).
 */
export const MESSAGE_NAME_PATTERN = /^[a-z][a-z0-9-]*\.v([1-9][0-9]*)(\.[a-z][a-z0-9-]*)+$/;

/** The major version a message name carries, or undefined when the name is not versioned. */
export function messageNameVersion(name: string): number | undefined {
  const match = MESSAGE_NAME_PATTERN.exec(name);
  return match ? Number(match[1]) : undefined;
}
