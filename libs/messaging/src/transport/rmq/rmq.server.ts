import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { MESSAGING_ERROR_CODES, type MessagingErrorCode } from '#lib/contracts';
import {
  type MessageHandler,
  type MsPattern,
  RmqContext,
  ServerRMQ,
  type WritePacket,
} from '@nestjs/microservices';
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage } from 'amqplib';
import { readMessageMetadata } from '../../correlation/message-metadata.js';
import { runInMessageScope } from '../../correlation/message-scope.js';
import type { DeadLetter } from '../../delivery/dead-letter.store.js';
import type { ClaimedDeliveryRetry } from '../../delivery/delivery-retry.store.js';
import type { DeliveryOutcome, EventDispatcher } from '../../delivery/event-dispatcher.js';
import type { EventRedeliverer } from '../../delivery/event-redeliverer.js';
import { eventHandlerInvoker } from '../../delivery/invoke-event-handler.js';
import { RpcError } from '../../errors/rpc-error.js';
import {
  isUnexpectedFailure,
  toRpcErrorPayload,
  UNEXPECTED_FAILURE,
} from '../../errors/to-rpc-error-payload.js';
import { requestHandlerResult } from '../request-handler-result.js';
import { reportChannelErrors } from './rmq-channel-errors.js';
import { RMQ_HEADERS } from './rmq-packet.serializer.js';
import { type ResolvedRmqTransportOptions, RmqTopology } from './rmq-topology.js';

/** The request-side ChannelWrapper methods we use (amqp-connection-manager). */
interface PublishingChannel {
  sendToQueue(queue: string, content: Buffer, options?: object): Promise<boolean>;
  publish(
    exchange: string,
    routingKey: string,
    content: Buffer,
    options?: object,
  ): Promise<boolean>;
}

interface ConnectionManager {
  isConnected(): boolean;
}

interface IncomingPacket {
  readonly id?: unknown;
  readonly pattern?: unknown;
  readonly data?: unknown;
  readonly metadata?: unknown;
}

/**
 * Backoff between attempts to consume again after the broker stopped this app's consumers: the
 * first soon (a one-off fault), doubling up to a ceiling (a declaration the broker keeps refusing
 * must not become a reconnection loop).
 */
export const CONSUMER_RECOVERY_FIRST_DELAY_MS = 500;
export const CONSUMER_RECOVERY_MAX_DELAY_MS = 30_000;

const parsePacket = (content: Buffer): IncomingPacket | undefined => {
  try {
    const packet: unknown = JSON.parse(content.toString('utf8'));
    return typeof packet === 'object' && packet !== null && !Array.isArray(packet)
      ? packet
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Nest's RMQ server, extended where Nest lacks a piece (docs/adr/0021-rmq-transport.md): two
 * durable queues per app (requests and events) bound to the topic exchange by the app's own
 * patterns, manual acks, a dead-letter queue, and events handed to the EventDispatcher, which
 * applies the same delivery policy as in monolith mode. An event is acknowledged only once every
 * subscriber's transaction committed, a retry was stored, or it was dead-lettered; a message
 * that cannot even be read goes to the dead-letter queue with its reason.
 */
export class RmqServer extends ServerRMQ implements EventRedeliverer {
  override readonly propagatesEventHandlerErrors = true;

  readonly topology: RmqTopology;
  private readonly log = new Logger('RmqServer');
  private readonly inFlight = new Set<Promise<unknown>>();
  private consuming?: { channel: Channel; tags: string[] };
  /** Why neither queue may be consumed now; undefined while both consumers run. */
  private notConsuming: string | undefined = 'not consuming yet: the channel is being set up';
  private accepting = true;
  /** The channel of the latest setup: a close or cancellation on any older one is history. */
  private latestSetupChannel?: Channel;
  private recoveryTimer?: NodeJS.Timeout;
  private recoveryAttempts = 0;
  /** The fault being recovered from, until the consumers run again. */
  private recoveringFrom?: string;
  private consumingSince?: number;

  constructor(
    private readonly dispatcher: EventDispatcher,
    private readonly settings: ResolvedRmqTransportOptions,
  ) {
    super({
      urls: [settings.url],
      queue: `${settings.serviceName}.requests`,
      noAck: false,
      prefetchCount: settings.prefetch,
      socketOptions: {
        connectionOptions: { noDelay: true },
        heartbeatIntervalInSeconds: 10,
        reconnectTimeInSeconds: 1,
      },
    });
    this.topology = new RmqTopology(settings.exchange, settings.serviceName);
  }

  /**
   * Our patterns are routing keys, stored as they are. Nest's lookup first tries each incoming
   * pattern as JSON, and a routing key makes JSON.parse throw: an exception with its stack trace
   * on every request. Anything else (an unknown pattern) still takes Nest's way.
   */
  override getHandlerByPattern(pattern: string): MessageHandler | null {
    return this.messageHandlers.get(pattern) ?? super.getHandlerByPattern(pattern);
  }

  /** Whether the broker connection is up now. */
  isBrokerConnected(): boolean {
    return (this.server as ConnectionManager | null)?.isConnected() ?? false;
  }

  /**
   * Why this app consumes nothing although its connection may be up, or undefined while it
   * consumes both of its queues: from a channel the broker closed (a channel error) or a consumer
   * it cancelled (its queue deleted) until `recoverConsumers` has them consuming again.
   */
  consumerUnavailableReason(): string | undefined {
    return this.accepting ? this.notConsuming : undefined;
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

  override async start(
    callback?: (error?: unknown, ...optionalParams: unknown[]) => void,
  ): Promise<void> {
    await super.start(callback);
    // After Nest's own listener, which creates the channel (once, on the first connection).
    const connections = this.server as AmqpConnectionManager | null;
    connections?.once('connect', () =>
      reportChannelErrors(this.channel as ChannelWrapper | null, () => !this.accepting, this.log),
    );
  }

  /** Runs on every (re)connection: declares this app's topology and starts consuming. */
  override async setupChannel(channel: Channel, callback: () => void): Promise<void> {
    // First, so a declaration the broker refuses (it closes the channel) is the reason shown.
    if (this.accepting) {
      this.latestSetupChannel = channel;
      this.watchConsumerChannel(channel);
    }
    const topology = this.topology;
    await channel.assertExchange(topology.exchange, 'topic', { durable: true });
    await channel.assertExchange(topology.deadLetterExchange, 'direct', { durable: true });
    await channel.assertQueue(topology.deadLetterQueue, { durable: true });
    await channel.bindQueue(
      topology.deadLetterQueue,
      topology.deadLetterExchange,
      topology.serviceName,
    );
    await channel.assertQueue(topology.requestQueue, { durable: true });
    for (const pattern of this.getHandlers().keys()) {
      await channel.bindQueue(topology.requestQueue, topology.exchange, pattern);
    }
    await channel.assertQueue(topology.eventQueue, { durable: true });
    for (const route of this.dispatcher.routes()) {
      await channel.bindQueue(topology.eventQueue, topology.exchange, route);
    }
    // Per consumer: requests and events each get their own window, so neither starves the other.
    await channel.prefetch(this.settings.prefetch, false);
    if (this.accepting) {
      // amqplib hands a null message when the broker cancels the consumer.
      const consume = (queue: string, handle: (message: ConsumeMessage) => Promise<void>) =>
        channel.consume(queue, (message) =>
          message ? this.track(handle(message)) : this.onCancelled(queue, channel),
        );
      const requests = await consume(topology.requestQueue, (message) =>
        this.onRequest(message, channel),
      );
      const events = await consume(topology.eventQueue, (message) =>
        this.onEvent(message, channel),
      );
      this.consuming = { channel, tags: [requests.consumerTag, events.consumerTag] };
      if (this.recoveringFrom !== undefined) {
        this.log.log(`consuming again after: ${this.recoveringFrom}`);
        this.recoveringFrom = undefined;
      }
      this.notConsuming = undefined;
      this.consumingSince = Date.now();
    }
    callback();
  }

  /**
   * Remembers why the consumer channel closed: the broker says so in the error before 'close'.
   * A close without one is the connection dropping, whose reconnection re-runs the setup anyway.
   */
  private watchConsumerChannel(channel: Channel): void {
    let brokerReason: string | undefined;
    channel.on('error', (error: Error) => {
      brokerReason = error.message;
    });
    channel.once('close', () => {
      if (channel !== this.latestSetupChannel) return;
      this.consuming = undefined;
      // Our own reconnection (or one after the fault) keeps the fault as the reason shown.
      this.notConsuming =
        brokerReason !== undefined
          ? `the consumer channel closed: ${brokerReason}`
          : (this.recoveringFrom ?? 'the consumer channel closed: the connection dropped');
      if (brokerReason !== undefined) this.recoverConsumers(channel);
    });
  }

  /** The broker cancelled a consumer (its queue was deleted): nothing arrives from it any more. */
  private onCancelled(queue: string, channel: Channel): void {
    if (channel !== this.latestSetupChannel) return;
    this.notConsuming = `the broker cancelled the consumer of queue ${queue} (was it deleted?)`;
    this.recoverConsumers(channel);
  }

  /**
   * Has the app consume again after the broker stopped its consumers while the connection stays
   * up, which neither Nest nor amqp-connection-manager do: the ChannelWrapper reopens a channel
   * and re-runs its setup (this class's `setupChannel`, which declares the topology again, so a
   * deleted queue comes back) only on a new connection. So, after a backoff, the connection is
   * made anew through the library's own `reconnect()` (docs/adr/0047-rmq-consumer-recovery.md).
   * Readiness keeps reporting `notConsuming` until the setup has both consumers running.
   */
  private recoverConsumers(stopped: Channel): void {
    if (!this.accepting || this.recoveryTimer !== undefined) return;
    const stable = Date.now() - (this.consumingSince ?? 0) >= CONSUMER_RECOVERY_MAX_DELAY_MS;
    if (stable) this.recoveryAttempts = 0;
    const delayMs = Math.min(
      CONSUMER_RECOVERY_FIRST_DELAY_MS * 2 ** this.recoveryAttempts,
      CONSUMER_RECOVERY_MAX_DELAY_MS,
    );
    this.recoveryAttempts += 1;
    this.recoveringFrom = this.notConsuming;
    this.log.error(
      `${this.notConsuming}; reconnecting to consume again in ${delayMs} ms (attempt ${this.recoveryAttempts})`,
    );
    this.recoveryTimer = setTimeout(() => {
      this.recoveryTimer = undefined;
      // Closing, or a newer setup already runs (the connection dropped and came back meanwhile).
      if (!this.accepting || stopped !== this.latestSetupChannel) return;
      const connections = this.server as AmqpConnectionManager | null;
      if (!connections?.isConnected()) return; // its own reconnection re-runs the setup
      connections.reconnect();
    }, delayMs);
    this.recoveryTimer.unref();
  }

  /** Stops consuming, lets in-flight messages finish and be acked, then disconnects. */
  override async close(): Promise<void> {
    this.accepting = false;
    clearTimeout(this.recoveryTimer);
    this.recoveryTimer = undefined;
    const consuming = this.consuming;
    this.consuming = undefined;
    if (consuming) {
      await Promise.allSettled(consuming.tags.map((tag) => consuming.channel.cancel(tag)));
    }
    this.dispatcher.close();
    const drained = Promise.allSettled([...this.inFlight]);
    await Promise.race([drained, sleep(this.settings.drainTimeoutMs, undefined, { ref: false })]);
    await super.close();
  }

  redeliver(retry: ClaimedDeliveryRetry): Promise<DeliveryOutcome> {
    const delivery = this.dispatcher.redeliver(retry, this.invoke);
    this.track(delivery);
    return delivery;
  }

  /** Parks a dead letter on the broker too: operators see it in `<service>.dead-letters`. */
  async publishDeadLetter(deadLetter: DeadLetter): Promise<void> {
    const channel = this.channel as PublishingChannel | null;
    if (!channel) throw RpcError.unavailable('not connected to the broker');
    // An unreadable message is parked as it arrived, and not labelled JSON: it is not.
    const unreadable = typeof deadLetter.envelope === 'string';
    await channel.publish(
      this.topology.deadLetterExchange,
      this.topology.serviceName,
      Buffer.from(
        typeof deadLetter.envelope === 'string'
          ? deadLetter.envelope
          : JSON.stringify(deadLetter.envelope ?? null),
      ),
      {
        persistent: true,
        contentType: unreadable ? 'application/octet-stream' : 'application/json',
        type: deadLetter.type,
        ...(deadLetter.messageId !== undefined && { messageId: deadLetter.messageId }),
        headers: {
          [RMQ_HEADERS.reason]: deadLetter.reason,
          [RMQ_HEADERS.attempts]: deadLetter.attempts,
          [RMQ_HEADERS.consumer]: deadLetter.consumer,
        },
      },
    );
  }

  private async onEvent(message: ConsumeMessage, channel: Channel): Promise<void> {
    const routingKey = message.fields.routingKey;
    const packet = parsePacket(message.content);
    try {
      if (!packet) {
        await this.deadLetterUnreadable(message, 'the message is not a JSON object');
      } else if (!this.dispatcher.routes().includes(routingKey)) {
        // Bindings bring only subscribed routes; anything else was put on the queue by hand or
        // by a producer that got the name wrong, and acknowledging it would drop it unseen.
        await this.deadLetterUnreadable(
          message,
          `no subscriber here for "${routingKey}"`,
          MESSAGING_ERROR_CODES.NO_HANDLER,
        );
      } else {
        await this.dispatcher.dispatch(
          { routingKey, body: message.content.toString('utf8') },
          this.invoke,
        );
      }
      settle(() => channel.ack(message));
    } catch (error) {
      // Nothing durable recorded (database and broker both failing): the broker offers it again.
      this.log.error({ err: error }, `event "${routingKey}" goes back to the queue`);
      await sleep(this.settings.requeueDelayMs);
      settle(() => channel.nack(message, false, true));
    }
  }

  /** Requests are acknowledged on receipt: they are never redelivered, callers retry instead. */
  private async onRequest(message: ConsumeMessage, channel: Channel): Promise<void> {
    settle(() => channel.ack(message));
    const { replyTo, correlationId } = message.properties as {
      replyTo?: string;
      correlationId?: string;
    };
    const packet = parsePacket(message.content);
    const id = typeof packet?.id === 'string' ? packet.id : undefined;
    const reply = (data: WritePacket): Promise<void> =>
      this.reply(replyTo, correlationId, id, data);
    if (!packet || id === undefined) {
      await reply({
        err: {
          code: MESSAGING_ERROR_CODES.VALIDATION_FAILED,
          message: 'the request is not a Nest packet with an id',
        },
        isDisposed: true,
      });
      return;
    }
    const pattern = message.fields.routingKey;
    const handler = this.getHandlerByPattern(pattern);
    if (!handler || handler.isEventHandler === true) {
      await reply({ err: RpcError.noHandler(pattern).payload, isDisposed: true });
      return;
    }
    const metadata = readMessageMetadata(packet.metadata);
    const context = new RmqContext([message, channel, pattern]);
    await new Promise<void>((done) => {
      const respond = async (data: WritePacket): Promise<void> => {
        await reply(data);
        if (data.isDisposed === true || data.err !== undefined) done();
      };
      runInMessageScope(metadata, id, () =>
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
    });
  }

  private async reply(
    replyTo: string | undefined,
    correlationId: string | undefined,
    id: string | undefined,
    data: WritePacket,
  ): Promise<void> {
    if (!replyTo) return;
    if (data.err !== undefined && isUnexpectedFailure(data.err)) {
      this.log.error({ err: data.err as unknown }, `a request failed (reply to ${replyTo})`);
    }
    let body: string;
    try {
      body = JSON.stringify({
        ...data,
        id,
        ...(data.err !== undefined && { err: toRpcErrorPayload(data.err) }),
      });
    } catch (error) {
      this.log.error({ err: error }, 'a reply could not be serialised');
      body = JSON.stringify({ id, err: UNEXPECTED_FAILURE, isDisposed: true });
    }
    const channel = this.channel as PublishingChannel | null;
    try {
      await channel?.sendToQueue(replyTo, Buffer.from(body), {
        correlationId,
        contentType: 'application/json',
      });
    } catch (error) {
      this.log.warn(`a reply to ${replyTo} was lost: ${(error as Error).message}`);
    }
  }

  /** Dead-letters what no subscriber can be given: it is kept byte for byte, with the reason. */
  private async deadLetterUnreadable(
    message: ConsumeMessage,
    reason: string,
    code: MessagingErrorCode = MESSAGING_ERROR_CODES.VALIDATION_FAILED,
  ): Promise<void> {
    const content = message.content.toString('utf8');
    const deadLetter: DeadLetter = {
      consumer: this.topology.serviceName,
      type: message.fields.routingKey,
      ...(typeof message.properties.messageId === 'string' && {
        messageId: message.properties.messageId,
      }),
      envelope: content,
      reason: `${code}: ${reason}`,
      error: { code, message: reason },
      attempts: 1,
    };
    this.log.error(
      { type: deadLetter.type, messageId: deadLetter.messageId },
      `dead-lettered an undeliverable "${deadLetter.type}" message: ${reason}`,
    );
    await this.dispatcher.recordDeadLetter(deadLetter);
  }

  private readonly invoke = eventHandlerInvoker((context, work) =>
    this.runWithProcessingHooks(context, work),
  );

  private track(work: Promise<unknown>): void {
    const tracked = work.catch(() => undefined).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}

/** An ack or nack on a channel that closed meanwhile: the broker redelivers the message anyway. */
function settle(action: () => void): void {
  try {
    action();
  } catch {
    // the channel is gone; nothing to settle on
  }
}
