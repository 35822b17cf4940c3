import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { MESSAGING_ERROR_CODES, type RpcErrorPayload } from '#lib/contracts';
import type { BaseRpcContext, MessageHandler } from '@nestjs/microservices';
import { type MessageMetadata, readMessageMetadata } from '../correlation/message-metadata.js';
import { runInMessageScope } from '../correlation/message-scope.js';
import { RpcError } from '../errors/rpc-error.js';
import { toRpcErrorPayload } from '../errors/to-rpc-error-payload.js';
import type { DeadLetter, DeadLetterStore } from './dead-letter.store.js';
import { MessageContext } from './message.context.js';
import type { ClaimedDeliveryRetry, DeliveryRetryStore } from './delivery-retry.store.js';
import {
  backoffDelayMs,
  deliveryPolicyOf,
  type ResolvedDeliveryPolicy,
} from './delivery-policy.decorator.js';
import { HandlerBulkhead } from './handler-bulkhead.js';

export type DefaultDeliveryPolicy = Omit<ResolvedDeliveryPolicy, 'consumer'>;

/** Runs one attempt of a handler inside the transport's processing hooks (tracing, metrics). */
export type HandlerInvoker = (
  handler: MessageHandler,
  data: unknown,
  context: BaseRpcContext,
) => Promise<void>;

export interface EventDispatcherOptions {
  /** For event handlers that declare no @DeliveryPolicy (a warning names them at start-up). */
  readonly defaultDeliveryPolicy?: DefaultDeliveryPolicy;
  /**
   * Waits up to this long are spent in memory, holding the message: a blip is ridden out at once.
   * Longer waits are written to the retry store and the message is let go.
   */
  readonly inlineRetryMaxMs?: number;
  /** Handlers of one consumer running at once in this process (the bulkhead). */
  readonly handlerConcurrency?: number;
  /**
   * Refuses (throws) a consumer name the stores cannot place: with it, every event handler must
   * declare its consumer (`@DeliveryPolicy({ consumer: '<context>.<name>' })`), since the name
   * says whose tables keep its processed messages, retries and dead letters.
   */
  readonly checkConsumer?: (consumer: string) => void;
}

export interface EventSubscriber {
  readonly handler: MessageHandler;
  readonly policy: ResolvedDeliveryPolicy;
  readonly bulkhead: HandlerBulkhead;
}

/** An event as a transport received it: the routing key and the packet's JSON text. */
export interface ReceivedEvent {
  readonly routingKey: string;
  readonly body: string;
}

export type DeliveryOutcome = 'processed' | 'retry-scheduled' | 'dead-lettered';

interface Attempts {
  readonly first: number;
  /** Set when redelivering a stored retry: its row is updated instead of a new one written. */
  readonly retryId?: string;
}

const DEFAULT_DELIVERY_POLICY: DefaultDeliveryPolicy = {
  maxAttempts: 3,
  backoffMs: 100,
  maxBackoffMs: 5_000,
};

const DEFAULT_INLINE_RETRY_MAX_MS = 1_000;
const DEFAULT_HANDLER_CONCURRENCY = 16;

interface EventPacket {
  readonly data: unknown;
  readonly metadata: Partial<MessageMetadata>;
}

/**
 * The delivery policy of event handlers, the same on every transport: each subscriber of an event
 * gets its own attempts, its own retries with capped exponential backoff, and its own dead letter,
 * so one failing context neither blocks nor repeats another's work. A transport only hands it
 * what arrived and acknowledges once `dispatch` has settled; a rejection means nothing durable
 * was recorded for some subscriber and the message must be offered again.
 *
 * Short waits are spent in memory; longer ones go to the DeliveryRetryStore, whose rows
 * `DeliveryRetryWorker` delivers when due, in this process or any replica after a restart.
 */
export class EventDispatcher {
  private readonly subscribers = new Map<string, EventSubscriber[]>();
  private readonly byConsumer = new Map<string, EventSubscriber>();
  private readonly log = new Logger('EventDispatcher');
  private readonly defaultPolicy: DefaultDeliveryPolicy;
  private readonly inlineRetryMaxMs: number;
  private readonly handlerConcurrency: number;
  private readonly checkConsumer?: (consumer: string) => void;
  private closing = new AbortController();

  constructor(
    private readonly deadLetters: DeadLetterStore,
    private readonly retries: DeliveryRetryStore,
    options: EventDispatcherOptions = {},
  ) {
    this.defaultPolicy = options.defaultDeliveryPolicy ?? DEFAULT_DELIVERY_POLICY;
    this.inlineRetryMaxMs = options.inlineRetryMaxMs ?? DEFAULT_INLINE_RETRY_MAX_MS;
    this.handlerConcurrency = options.handlerConcurrency ?? DEFAULT_HANDLER_CONCURRENCY;
    this.checkConsumer = options.checkConsumer;
  }

  /** Called by a transport's `addHandler` for each `@EventPattern` handler. */
  register(route: string, handler: MessageHandler, extras: Record<string, unknown> = {}): void {
    // As Nest marks its own event handlers: the server then never answers a request with one.
    handler.isEventHandler = true;
    handler.extras = extras;
    const subscribers = this.subscribers.get(route) ?? [];
    const declared = deliveryPolicyOf(extras);
    if (this.checkConsumer) {
      if (!declared) {
        throw new Error(
          `an event handler of "${route}" names no consumer: declare @DeliveryPolicy({ consumer: '<context>.<name>', ... })`,
        );
      }
      this.checkConsumer(declared.consumer);
    }
    if (!declared) {
      this.log.warn(
        `an event handler of "${route}" declares no @DeliveryPolicy: using the default`,
      );
    }
    const policy = declared ?? {
      ...this.defaultPolicy,
      consumer: `${route}#${subscribers.length + 1}`,
    };
    if (this.byConsumer.has(policy.consumer)) {
      throw new Error(
        `two event handlers are named "${policy.consumer}": consumer names key dead letters and retries, make them unique`,
      );
    }
    const subscriber = {
      handler,
      policy,
      bulkhead: new HandlerBulkhead(policy.consumer, this.handlerConcurrency),
    };
    subscribers.push(subscriber);
    this.subscribers.set(route, subscribers);
    this.byConsumer.set(policy.consumer, subscriber);
  }

  /** The routing keys that have at least one subscriber: what a broker queue binds. */
  routes(): string[] {
    return [...this.subscribers.keys()];
  }

  /** Names of every registered consumer: whose stored retries this process may deliver. */
  consumers(): string[] {
    return [...this.byConsumer.keys()];
  }

  /** Opens for deliveries (again, after a close). */
  open(): void {
    this.closing = new AbortController();
  }

  /** In-memory waits end at once: their retries go to the store instead. */
  close(): void {
    this.closing.abort();
  }

  /**
   * Delivers an event to every subscriber of its routing key. Settles once each of them has
   * processed it, has a retry stored, or has dead-lettered it.
   */
  async dispatch(event: ReceivedEvent, invoke: HandlerInvoker): Promise<void> {
    const subscribers = this.subscribers.get(event.routingKey) ?? [];
    const outcomes = await Promise.allSettled(
      subscribers.map((subscriber) => this.deliverTo(subscriber, event, { first: 1 }, invoke)),
    );
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /** Delivers a stored retry to the one consumer that failed it. */
  async redeliver(retry: ClaimedDeliveryRetry, invoke: HandlerInvoker): Promise<DeliveryOutcome> {
    const subscriber = this.byConsumer.get(retry.consumer);
    if (!subscriber) throw new Error(`no consumer "${retry.consumer}" in this process`);
    const body = JSON.stringify({ pattern: retry.type, data: retry.envelope });
    const outcome = await this.deliverTo(
      subscriber,
      { routingKey: retry.type, body },
      { first: retry.attempts + 1, retryId: retry.id },
      invoke,
    );
    if (outcome !== 'retry-scheduled') await this.retries.remove(retry.id);
    return outcome;
  }

  private async deliverTo(
    subscriber: EventSubscriber,
    event: ReceivedEvent,
    attempts: Attempts,
    invoke: HandlerInvoker,
  ): Promise<DeliveryOutcome> {
    const { policy } = subscriber;
    for (let attempt = attempts.first; ; attempt += 1) {
      // Parsed afresh for every attempt: a handler that changed its payload must not see the change.
      const packet = parsePacket(event.body);
      const context = new MessageContext([event.routingKey, packet.metadata, attempt]);
      let failure: RpcErrorPayload;
      try {
        await subscriber.bulkhead.run(() =>
          runInMessageScope(packet.metadata, packet.metadata.messageId, () =>
            invoke(subscriber.handler, packet.data, context),
          ),
        );
        return 'processed';
      } catch (error) {
        failure = toRpcErrorPayload(error);
      }

      // A malformed message never becomes valid by waiting: it is dead-lettered at once.
      const malformed = failure.code === MESSAGING_ERROR_CODES.VALIDATION_FAILED;
      if (malformed || attempt >= policy.maxAttempts) {
        await this.deadLetter(policy, event.routingKey, packet, failure, attempt);
        return 'dead-lettered';
      }
      const delayMs = backoffDelayMs(policy, attempt);
      const reason = `${failure.code}: ${failure.message}`;
      this.log.warn(
        `${policy.consumer} failed on "${event.routingKey}" (attempt ${attempt} of ${policy.maxAttempts}, retry in ${delayMs} ms): ${reason}`,
      );
      if (delayMs > this.inlineRetryMaxMs || !(await this.waitInline(delayMs))) {
        await this.storeRetry(
          policy,
          event.routingKey,
          packet,
          attempt,
          delayMs,
          reason,
          attempts.retryId,
        );
        return 'retry-scheduled';
      }
    }
  }

  /** False when closing cut the wait short. */
  private async waitInline(delayMs: number): Promise<boolean> {
    if (this.closing.signal.aborted) return false;
    try {
      await sleep(delayMs, undefined, { signal: this.closing.signal });
      return true;
    } catch {
      return false;
    }
  }

  private async storeRetry(
    policy: ResolvedDeliveryPolicy,
    routingKey: string,
    packet: EventPacket,
    attempts: number,
    delayMs: number,
    lastError: string,
    retryId: string | undefined,
  ): Promise<void> {
    if (retryId !== undefined) {
      await this.retries.reschedule(retryId, attempts, delayMs, lastError);
      return;
    }
    await this.retries.schedule(
      { consumer: policy.consumer, type: routingKey, envelope: packet.data, attempts, lastError },
      delayMs,
    );
  }

  private async deadLetter(
    policy: ResolvedDeliveryPolicy,
    routingKey: string,
    packet: EventPacket,
    failure: RpcErrorPayload,
    attempts: number,
  ): Promise<void> {
    const reason = `${failure.code}: ${failure.message}`;
    const messageId = packet.metadata.messageId;
    this.log.error(
      { consumer: policy.consumer, type: routingKey, messageId, attempts },
      `dead-lettered "${routingKey}" for ${policy.consumer} after ${attempts} attempt(s): ${reason}`,
    );
    await this.recordDeadLetter({
      consumer: policy.consumer,
      type: routingKey,
      ...(messageId !== undefined && { messageId }),
      envelope: packet.data,
      reason,
      error: failure,
      attempts,
    });
  }

  /**
   * Parks a message for an operator to list and replay. Throws when it could not be kept: the
   * message is then neither processed nor parked, and must be offered again.
   */
  async recordDeadLetter(deadLetter: DeadLetter): Promise<void> {
    try {
      await this.deadLetters.record(deadLetter);
    } catch (error) {
      this.log.error({ err: error }, 'a dead letter could not be recorded');
      throw RpcError.unavailable('the dead letter could not be recorded');
    }
  }
}

/**
 * The packet as a Nest client wrote it (`{ pattern, data, metadata }`). Metadata missing (a
 * foreign producer, a stored retry) is read from the envelope itself.
 */
function parsePacket(body: string): EventPacket {
  const parsed = JSON.parse(body) as { data?: unknown; metadata?: unknown };
  const data = parsed.data;
  const fromEnvelope = readMessageMetadata(
    typeof data === 'object' && data !== null
      ? {
          correlationId: (data as Record<string, unknown>).correlationId,
          messageId: (data as Record<string, unknown>).id,
          traceparent: (data as Record<string, unknown>).traceparent,
        }
      : undefined,
  );
  return { data, metadata: { ...fromEnvelope, ...readMessageMetadata(parsed.metadata) } };
}
