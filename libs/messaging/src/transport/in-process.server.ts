import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { MESSAGING_ERROR_CODES, type RpcErrorPayload } from '#lib/contracts';
import {
  type CustomTransportStrategy,
  type IncomingEvent,
  type IncomingRequest,
  type MessageHandler,
  type MsPattern,
  Server,
  type WritePacket,
} from '@nestjs/microservices';
import { isObservable, lastValueFrom, throwError } from 'rxjs';
import { CorrelationScope } from '../correlation/correlation-scope.js';
import { type MessageMetadata, readMessageMetadata } from '../correlation/message-metadata.js';
import { runInTraceContext } from '../correlation/trace-context.js';
import type { DeadLetterStore } from '../delivery/dead-letter.store.js';
import {
  backoffDelayMs,
  deliveryPolicyOf,
  type ResolvedDeliveryPolicy,
} from '../delivery/delivery-policy.decorator.js';
import { RpcError } from '../errors/rpc-error.js';
import {
  isUnexpectedFailure,
  toRpcErrorPayload,
  UNEXPECTED_FAILURE,
} from '../errors/to-rpc-error-payload.js';
import type { InProcessBus, InProcessEndpoint, InProcessMessage } from './in-process-bus.js';
import { InProcessContext } from './in-process.context.js';

/** Transport id of handlers bound to this transport only (`@EventPattern(p, IN_PROCESS_TRANSPORT)`). */
export const IN_PROCESS_TRANSPORT = Symbol('IN_PROCESS_TRANSPORT');

export type DefaultDeliveryPolicy = Omit<ResolvedDeliveryPolicy, 'consumer'>;

export interface InProcessServerOptions {
  /** For event handlers that declare no @DeliveryPolicy (a warning names them at start-up). */
  readonly defaultDeliveryPolicy?: DefaultDeliveryPolicy;
  /** How long `close()` waits for in-flight messages before giving up on them. */
  readonly drainTimeoutMs?: number;
}

const DEFAULT_DELIVERY_POLICY: DefaultDeliveryPolicy = {
  maxAttempts: 3,
  backoffMs: 100,
  maxBackoffMs: 5_000,
};

interface EventSubscriber {
  readonly handler: MessageHandler;
  readonly policy: ResolvedDeliveryPolicy;
}

/**
 * The server half of the in-process transport: Nest registers the app's `@MessagePattern` and
 * `@EventPattern` handlers on it as on any transport, and it receives from the bus only strings,
 * which it parses as a broker consumer would.
 *
 * Events differ from Nest's default in one way: instead of chaining every handler of a pattern into
 * one call, each subscriber is delivered to on its own, with its own retries and dead letter, so one
 * failing context neither blocks nor repeats another's work, as with one queue per consumer.
 */
export class InProcessServer extends Server implements CustomTransportStrategy, InProcessEndpoint {
  // Event failures are awaited, retried and dead-lettered here, so Nest need not log them.
  override readonly propagatesEventHandlerErrors = true;

  private readonly subscribers = new Map<string, EventSubscriber[]>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly log = new Logger('InProcessServer');
  private closing = new AbortController();
  private readonly defaultPolicy: DefaultDeliveryPolicy;
  private readonly drainTimeoutMs: number;

  constructor(
    private readonly bus: InProcessBus,
    private readonly deadLetters: DeadLetterStore,
    options: InProcessServerOptions = {},
  ) {
    super();
    this.transportId = IN_PROCESS_TRANSPORT;
    this.defaultPolicy = options.defaultDeliveryPolicy ?? DEFAULT_DELIVERY_POLICY;
    this.drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
    this.initializeSerializer({});
    this.initializeDeserializer({});
  }

  listen(callback: (...optionalParams: unknown[]) => unknown): void {
    this.closing = new AbortController();
    this.bus.attach(this);
    this._status$.next('connected');
    callback();
  }

  /** Stops taking messages, cuts pending retry waits short, and drains what is in flight. */
  async close(): Promise<void> {
    this.bus.detach(this);
    this.closing.abort();
    const drained = Promise.allSettled([...this.inFlight]);
    const deadline = sleep(this.drainTimeoutMs, undefined, { ref: false });
    await Promise.race([drained, deadline]);
    this._status$.next('disconnected');
  }

  on(): never {
    throw new Error('the in-process transport emits no server events');
  }

  unwrap<T>(): T {
    return this.bus as unknown as T;
  }

  override addHandler(
    pattern: unknown,
    callback: MessageHandler,
    isEventHandler = false,
    extras: Record<string, unknown> = {},
  ): void {
    if (!isEventHandler) {
      super.addHandler(pattern, callback, false, extras);
      return;
    }
    callback.isEventHandler = true;
    callback.extras = extras;
    const route = this.normalizePattern(pattern as MsPattern);
    const subscribers = this.subscribers.get(route) ?? [];
    const declared = deliveryPolicyOf(extras);
    if (!declared) {
      this.log.warn(
        `an event handler of "${route}" declares no @DeliveryPolicy: using the default`,
      );
    }
    subscribers.push({
      handler: callback,
      policy: declared ?? { ...this.defaultPolicy, consumer: `${route}#${subscribers.length + 1}` },
    });
    this.subscribers.set(route, subscribers);
  }

  answers(routingKey: string): boolean {
    const handler = this.getHandlerByPattern(routingKey);
    return handler !== null && handler.isEventHandler !== true;
  }

  answer(request: InProcessMessage, reply: (body: string) => void): void {
    const work = this.answerRequest(request, reply).catch((error: unknown) => {
      if (isUnexpectedFailure(error)) {
        this.log.error({ err: error }, `could not answer "${request.routingKey}"`);
      }
      const err = toRpcErrorPayload(error);
      reply(JSON.stringify({ id: request.correlationId, err, isDisposed: true }));
    });
    this.track(work);
  }

  async deliver(event: InProcessMessage): Promise<void> {
    const route = this.getRouteFromPattern(event.routingKey);
    const subscribers = this.subscribers.get(route) ?? [];
    const delivery = Promise.all(
      subscribers.map((subscriber) => this.deliverTo(subscriber, event)),
    );
    this.track(delivery);
    await delivery;
  }

  private async answerRequest(
    request: InProcessMessage,
    reply: (body: string) => void,
  ): Promise<void> {
    const packet = (await this.deserializer.deserialize(
      JSON.parse(request.body),
    )) as IncomingRequest;
    const handler = this.getHandlerByPattern(request.routingKey);
    if (handler === null) throw RpcError.noHandler(request.routingKey);
    const metadata = readMessageMetadata(packet.metadata);
    const context = new InProcessContext([request.routingKey, metadata, 1]);

    let settle: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const respond = async (data: WritePacket): Promise<void> => {
      reply(await this.serialiseReply(packet.id, data));
      if (data.isDisposed === true || data.err !== undefined) settle();
    };

    this.inScope(metadata, packet.id, () =>
      this.handleRequest(
        context,
        async () => {
          try {
            return this.transformToObservable(await handler(packet.data, context));
          } catch (error) {
            // An exception filter that rethrows (instead of returning an error stream) still
            // produces an error reply rather than a caller left waiting.
            return throwError(() => error);
          }
        },
        respond,
      ),
    );
    await settled;
  }

  private async serialiseReply(id: string, data: WritePacket): Promise<string> {
    const packet = {
      ...data,
      id,
      ...(data.err !== undefined && { err: toRpcErrorPayload(data.err) }),
    };
    try {
      return JSON.stringify(await this.serializer.serialize(packet));
    } catch (error) {
      this.log.error({ err: error }, 'a reply could not be serialised');
      return JSON.stringify({ id, err: UNEXPECTED_FAILURE, isDisposed: true });
    }
  }

  private async deliverTo(subscriber: EventSubscriber, event: InProcessMessage): Promise<void> {
    const { policy } = subscriber;
    for (let attempt = 1; ; attempt += 1) {
      // Parsed afresh for every attempt: a handler that changed its payload must not see the change.
      const packet = (await this.deserializer.deserialize(JSON.parse(event.body))) as IncomingEvent;
      const metadata = readMessageMetadata(packet.metadata);
      const context = new InProcessContext([event.routingKey, metadata, attempt]);
      let failure: RpcErrorPayload;
      try {
        await this.inScope(metadata, metadata.messageId, () =>
          this.invokeEventHandler(subscriber.handler, packet.data, context),
        );
        return;
      } catch (error) {
        failure = toRpcErrorPayload(error);
      }

      // A malformed message never becomes valid by waiting: it is dead-lettered at once.
      const malformed = failure.code === MESSAGING_ERROR_CODES.VALIDATION_FAILED;
      if (malformed || attempt >= policy.maxAttempts) {
        await this.deadLetter(policy, event, packet.data, metadata, failure, attempt);
        return;
      }
      const delayMs = backoffDelayMs(policy, attempt);
      this.log.warn(
        `${policy.consumer} failed on "${event.routingKey}" (attempt ${attempt} of ${policy.maxAttempts}, retry in ${delayMs} ms): ${failure.code} ${failure.message}`,
      );
      await this.pause(delayMs);
    }
  }

  private async invokeEventHandler(
    handler: MessageHandler,
    data: unknown,
    context: InProcessContext,
  ): Promise<void> {
    // The processing hooks (tracing, metrics) wrap each attempt, as Nest's own transports do.
    const outcome = await new Promise<{ error?: unknown; failed: boolean }>((resolve) => {
      this.runWithProcessingHooks(context, async (runEndHook) => {
        try {
          const result: unknown = await handler(data, context);
          if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
          resolve({ failed: false });
        } catch (error) {
          resolve({ error, failed: true });
        } finally {
          runEndHook();
        }
      });
    });
    if (outcome.failed) throw outcome.error;
  }

  private async deadLetter(
    policy: ResolvedDeliveryPolicy,
    event: InProcessMessage,
    data: unknown,
    metadata: Partial<MessageMetadata>,
    failure: RpcErrorPayload,
    attempts: number,
  ): Promise<void> {
    const reason = `${failure.code}: ${failure.message}`;
    this.log.error(
      {
        consumer: policy.consumer,
        type: event.routingKey,
        messageId: metadata.messageId,
        attempts,
      },
      `dead-lettered "${event.routingKey}" for ${policy.consumer} after ${attempts} attempt(s): ${reason}`,
    );
    try {
      await this.deadLetters.record({
        consumer: policy.consumer,
        type: event.routingKey,
        ...(metadata.messageId !== undefined && { messageId: metadata.messageId }),
        envelope: data,
        reason,
        error: failure,
        attempts,
      });
    } catch (error) {
      // Neither processed nor parked: fail the delivery so that the publisher offers it again.
      this.log.error({ err: error }, 'a dead letter could not be recorded');
      throw RpcError.unavailable('the dead letter could not be recorded');
    }
  }

  private async pause(delayMs: number): Promise<void> {
    try {
      await sleep(delayMs, undefined, { signal: this.closing.signal });
    } catch {
      throw RpcError.unavailable('the in-process server closed while a delivery waited to retry');
    }
  }

  private inScope<T>(
    metadata: Partial<MessageMetadata>,
    causationId: string | undefined,
    work: () => T,
  ): T {
    const correlation = {
      correlationId: metadata.correlationId ?? randomUUID(),
      ...(causationId !== undefined && { causationId }),
    };
    return CorrelationScope.run(correlation, () => runInTraceContext(metadata.traceparent, work));
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.catch(() => undefined).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}
