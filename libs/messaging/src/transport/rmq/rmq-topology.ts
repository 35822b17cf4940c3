/** How RabbitMQ is reached and how this app's part of the topology is named. */
export interface RmqTransportOptions {
  /** amqp://user:password@host:port/vhost */
  readonly url: string;
  /** The topic exchange that carries every request and event, routed by pattern. */
  readonly exchange?: string;
  /** Names this app's queues; replicas of one app share them and compete for messages. */
  readonly serviceName: string;
  /** Unacknowledged messages per consumer: the app-wide bulkhead against the broker. */
  readonly prefetch?: number;
  /**
   * A request not taken within this time expires in its queue rather than being handled long
   * after its caller gave up (the caller has timed out by then).
   */
  readonly requestTtlMs?: number;
  /** How long `close()` waits for in-flight messages before the broker gets them back. */
  readonly drainTimeoutMs?: number;
  /** Wait before a message that could not be settled is handed back to the broker. */
  readonly requeueDelayMs?: number;
}

export type ResolvedRmqTransportOptions = Required<RmqTransportOptions>;

export const DEFAULT_RMQ_EXCHANGE = 'commerce';

export function resolveRmqTransportOptions(
  options: RmqTransportOptions,
): ResolvedRmqTransportOptions {
  return {
    url: options.url,
    exchange: options.exchange ?? DEFAULT_RMQ_EXCHANGE,
    serviceName: options.serviceName,
    prefetch: options.prefetch ?? 32,
    requestTtlMs: options.requestTtlMs ?? 30_000,
    drainTimeoutMs: options.drainTimeoutMs ?? 10_000,
    requeueDelayMs: options.requeueDelayMs ?? 1_000,
  };
}

/**
 * The broker objects of one app (docs/architecture.md, "Topology"):
 * - `<exchange>` (topic): requests and events, routing key = pattern;
 * - `<service>.requests`: bound to each `@MessagePattern` the app answers;
 * - `<service>.events`: bound to each `@EventPattern` it subscribes to, so every subscribing app
 *   gets its own copy of an event;
 * - `<exchange>.dead-letters` (direct) → `<service>.dead-letters`, routing key = service.
 */
export class RmqTopology {
  constructor(
    readonly exchange: string,
    readonly serviceName: string,
  ) {}

  get requestQueue(): string {
    return `${this.serviceName}.requests`;
  }

  get eventQueue(): string {
    return `${this.serviceName}.events`;
  }

  get deadLetterExchange(): string {
    return `${this.exchange}.dead-letters`;
  }

  get deadLetterQueue(): string {
    return `${this.serviceName}.dead-letters`;
  }
}
