import {
  DEFAULT_DELIVERY_RETRY_WORKER_OPTIONS,
  type DeliveryRetryWorkerOptions,
} from './delivery/delivery-retry.worker.js';
import type { DefaultDeliveryPolicy } from './delivery/event-dispatcher.js';
import type { RmqTransportOptions } from './transport/rmq/rmq-topology.js';
import type { InProcessBus } from './transport/in-process-bus.js';
import type { OutboxRelayHooks } from './outbox/outbox-relay.hooks.js';

export type MessagingTransportName = 'in-process' | 'rmq';

export interface OutboxRelayOptions {
  /** Off in an app that must not publish (a one-off job); on everywhere else. */
  readonly enabled?: boolean;
  /** Most rows claimed by one claim (fewer when fewer publish slots are free). */
  readonly batchSize?: number;
  /** Safety-net poll; commits wake the relay at once through Postgres NOTIFY. */
  readonly pollIntervalMs?: number;
  /** How long one publish may take before the row is retried later. */
  readonly publishTimeoutMs?: number;
  /**
   * How long a claimed row stays reserved for the relay that claimed it. A relay that dies
   * leaves its rows to be claimed again once this passes, so it must exceed the publish timeout.
   */
  readonly leaseMs?: number;
  /** Publishes one relay has in flight at most: a slow consumer holds one of them, not the relay. */
  readonly publishConcurrency?: number;
  /** First retry delay of a failed publish; doubles per attempt, with jitter, up to the max. */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** Fault injection for tests: runs between the relay's steps. */
  readonly hooks?: OutboxRelayHooks;
}

export interface MessagingModuleOptions {
  /**
   * The app these messages belong to (SERVICE_NAME): its relay publishes only the outbox rows it
   * wrote and its worker delivers only its stored retries; replicas share them. Unset: all rows.
   */
  readonly owner?: string;
  /**
   * The schemas of the contexts whose messaging tables this app uses. Unset: every declared
   * context (DatabaseModule.forFeature) whose migrations include messagingTablesMigration.
   */
  readonly schemas?: readonly string[];
  /** Which transport carries messages: 'in-process' (monolith mode) or 'rmq' (split mode). */
  readonly transport?: MessagingTransportName;
  /** Required with transport 'rmq'. */
  readonly rmq?: RmqTransportOptions;
  /** Default RPC timeout of `MessagingClient.send` (MESSAGING_RPC_TIMEOUT_MS). */
  readonly rpcTimeoutMs?: number;
  /** For event handlers without a @DeliveryPolicy. */
  readonly defaultDeliveryPolicy?: DefaultDeliveryPolicy;
  /** Retry waits up to this long are spent in memory; longer ones are stored (EventDispatcher). */
  readonly inlineRetryMaxMs?: number;
  /** Attempts of one event handler running at once in a process (its bulkhead). */
  readonly handlerConcurrency?: number;
  /** How stored retries are picked up (DeliveryRetryWorker). */
  readonly retryWorker?: Partial<DeliveryRetryWorkerOptions>;
  readonly relay?: OutboxRelayOptions;
  /** In-process transport only: a bus shared with other apps in this process. */
  readonly bus?: InProcessBus;
}

export interface ResolvedOutboxRelayOptions {
  readonly enabled: boolean;
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  readonly publishTimeoutMs: number;
  readonly leaseMs: number;
  readonly publishConcurrency: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly hooks: OutboxRelayHooks;
}

export interface ResolvedMessagingOptions {
  readonly owner?: string;
  readonly schemas?: readonly string[];
  readonly transport: MessagingTransportName;
  readonly rmq?: RmqTransportOptions;
  readonly rpcTimeoutMs: number;
  readonly defaultDeliveryPolicy?: DefaultDeliveryPolicy;
  readonly inlineRetryMaxMs?: number;
  readonly handlerConcurrency?: number;
  readonly retryWorker: DeliveryRetryWorkerOptions;
  readonly relay: ResolvedOutboxRelayOptions;
  readonly bus?: InProcessBus;
}

/** DI token of `owner`, for the pieces that take nothing else from the options. */
export const MESSAGING_OWNER = Symbol('MESSAGING_OWNER');

/** DI token of the resolved options. */
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export const DEFAULT_RPC_TIMEOUT_MS = 5_000;

export function resolveOutboxRelayOptions(
  options: OutboxRelayOptions = {},
): ResolvedOutboxRelayOptions {
  const resolved: ResolvedOutboxRelayOptions = {
    enabled: options.enabled ?? true,
    batchSize: options.batchSize ?? 50,
    pollIntervalMs: options.pollIntervalMs ?? 1_000,
    publishTimeoutMs: options.publishTimeoutMs ?? 30_000,
    leaseMs: options.leaseMs ?? 60_000,
    publishConcurrency: options.publishConcurrency ?? 16,
    retryBaseMs: options.retryBaseMs ?? 500,
    retryMaxMs: options.retryMaxMs ?? 60_000,
    hooks: options.hooks ?? {},
  };
  // A lease that ran out while its publish still waited would let a second relay publish the row.
  if (resolved.leaseMs <= resolved.publishTimeoutMs) {
    throw new RangeError(
      `the outbox lease (${resolved.leaseMs} ms) must be longer than the publish timeout (${resolved.publishTimeoutMs} ms)`,
    );
  }
  if (!Number.isInteger(resolved.publishConcurrency) || resolved.publishConcurrency < 1) {
    throw new RangeError(
      `the outbox publish concurrency must be a positive integer (got ${resolved.publishConcurrency})`,
    );
  }
  return resolved;
}

export function resolveMessagingOptions(
  options: MessagingModuleOptions = {},
): ResolvedMessagingOptions {
  return {
    transport: options.transport ?? 'in-process',
    ...(options.owner !== undefined && { owner: options.owner }),
    ...(options.schemas && { schemas: options.schemas }),
    ...(options.rmq && { rmq: options.rmq }),
    rpcTimeoutMs: options.rpcTimeoutMs ?? DEFAULT_RPC_TIMEOUT_MS,
    ...(options.defaultDeliveryPolicy && { defaultDeliveryPolicy: options.defaultDeliveryPolicy }),
    ...(options.inlineRetryMaxMs !== undefined && { inlineRetryMaxMs: options.inlineRetryMaxMs }),
    ...(options.handlerConcurrency !== undefined && {
      handlerConcurrency: options.handlerConcurrency,
    }),
    retryWorker: { ...DEFAULT_DELIVERY_RETRY_WORKER_OPTIONS, ...options.retryWorker },
    relay: resolveOutboxRelayOptions(options.relay),
    ...(options.bus && { bus: options.bus }),
  };
}
