import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import {
  type CustomTransportStrategy,
  type IncomingRequest,
  type MessageHandler,
  type MsPattern,
  Server,
  type WritePacket,
} from '@nestjs/microservices';
import { readMessageMetadata } from '../correlation/message-metadata.js';
import { runInMessageScope } from '../correlation/message-scope.js';
import { MessageContext } from '../delivery/message.context.js';
import { requestHandlerResult } from './request-handler-result.js';
import type { ClaimedDeliveryRetry } from '../delivery/delivery-retry.store.js';
import type { DeliveryOutcome, EventDispatcher } from '../delivery/event-dispatcher.js';
import type { EventRedeliverer } from '../delivery/event-redeliverer.js';
import { eventHandlerInvoker } from '../delivery/invoke-event-handler.js';
import { RpcError } from '../errors/rpc-error.js';
import {
  isUnexpectedFailure,
  toRpcErrorPayload,
  UNEXPECTED_FAILURE,
} from '../errors/to-rpc-error-payload.js';
import type { InProcessBus, InProcessEndpoint, InProcessMessage } from './in-process-bus.js';

/** Transport id of handlers bound to this transport only (`@EventPattern(p, IN_PROCESS_TRANSPORT)`). */
export const IN_PROCESS_TRANSPORT = Symbol('IN_PROCESS_TRANSPORT');

export interface InProcessServerOptions {
  /** How long `close()` waits for in-flight messages before giving up on them. */
  readonly drainTimeoutMs?: number;
}

/**
 * The server half of the in-process transport: Nest registers the app's `@MessagePattern` and
 * `@EventPattern` handlers on it as on any transport, and it receives from the bus only strings,
 * which it parses as a broker consumer would. Events go to the EventDispatcher, which applies the
 * delivery policy exactly as it does behind RabbitMQ.
 */
export class InProcessServer
  extends Server
  implements CustomTransportStrategy, InProcessEndpoint, EventRedeliverer
{
  // Event failures are awaited, retried and dead-lettered by the dispatcher, so Nest need not log them.
  override readonly propagatesEventHandlerErrors = true;

  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly log = new Logger('InProcessServer');
  private readonly drainTimeoutMs: number;

  constructor(
    private readonly bus: InProcessBus,
    private readonly dispatcher: EventDispatcher,
    options: InProcessServerOptions = {},
  ) {
    super();
    this.transportId = IN_PROCESS_TRANSPORT;
    this.drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
    this.initializeSerializer({});
    this.initializeDeserializer({});
  }

  listen(callback: (...optionalParams: unknown[]) => unknown): void {
    this.dispatcher.open();
    this.bus.attach(this);
    this._status$.next('connected');
    callback();
  }

  /** Stops taking messages, moves pending retry waits to the store, and drains what is in flight. */
  async close(): Promise<void> {
    this.bus.detach(this);
    this.dispatcher.close();
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

  /** Event handlers go to the dispatcher (one delivery per subscriber); requests stay with Nest. */
  override addHandler(
    pattern: unknown,
    callback: MessageHandler,
    isEventHandler = false,
    extras: Record<string, unknown> = {},
  ): void {
    if (isEventHandler) {
      this.dispatcher.register(this.normalizePattern(pattern as MsPattern), callback, extras);
    } else super.addHandler(pattern, callback, false, extras);
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
    const delivery = this.dispatcher.dispatch(
      { routingKey: this.getRouteFromPattern(event.routingKey), body: event.body },
      this.invoke,
    );
    this.track(delivery);
    await delivery;
  }

  redeliver(retry: ClaimedDeliveryRetry): Promise<DeliveryOutcome> {
    const delivery = this.dispatcher.redeliver(retry, this.invoke);
    this.track(delivery);
    return delivery;
  }

  private readonly invoke = eventHandlerInvoker((context, work) =>
    this.runWithProcessingHooks(context, work),
  );

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
    const context = new MessageContext([request.routingKey, metadata, 1]);

    let settle: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const respond = async (data: WritePacket): Promise<void> => {
      reply(await this.serialiseReply(packet.id, data));
      if (data.isDisposed === true || data.err !== undefined) settle();
    };

    runInMessageScope(metadata, packet.id, () =>
      this.handleRequest(
        context,
        requestHandlerResult(
          (result) => this.transformToObservable(result),
          handler,
          packet.data,
          context,
        ),
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

  private track(work: Promise<unknown>): void {
    const tracked = work.catch(() => undefined).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}
