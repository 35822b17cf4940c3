import { randomUUID } from 'node:crypto';
import type { ReadPacket, Serializer } from '@nestjs/microservices';
import type { Options } from 'amqplib';
import { readMessageMetadata } from '../../correlation/message-metadata.js';
import { routingKeyOf } from '../routing-key.js';

/** Header names of the values that are not AMQP properties. */
export const RMQ_HEADERS = {
  correlationId: 'x-correlation-id',
  traceparent: 'traceparent',
  attempts: 'x-attempts',
  reason: 'x-dead-letter-reason',
  consumer: 'x-consumer',
} as const;

type OutgoingPacket = ReadPacket & { id?: string };

/**
 * Nest's packet as the body, and what a broker or a consumer in another language reads without
 * opening it as AMQP properties and headers: message id, type, content type, the correlation id,
 * the W3C `traceparent`. A request also gets an expiration, so it dies in its queue once its
 * caller has given up, and is transient; events are persistent.
 */
export class RmqPacketSerializer implements Serializer<
  OutgoingPacket,
  OutgoingPacket & { options: Options.Publish }
> {
  constructor(
    private readonly appId: string,
    private readonly requestTtlMs: number,
  ) {}

  serialize(packet: OutgoingPacket): OutgoingPacket & { options: Options.Publish } {
    const metadata = readMessageMetadata(packet.metadata);
    const isRequest = packet.id !== undefined;
    return {
      ...packet,
      options: {
        contentType: 'application/json',
        type: routingKeyOf(packet.pattern),
        messageId: metadata.messageId ?? randomUUID(),
        appId: this.appId,
        timestamp: Math.floor(Date.now() / 1000),
        // A request lives no longer than its caller waits: kept on disk, it would only survive a
        // broker restart to be answered after its caller gave up, at the cost of a write per call.
        ...(isRequest && { expiration: String(this.requestTtlMs), persistent: false }),
        headers: {
          ...(metadata.correlationId !== undefined && {
            [RMQ_HEADERS.correlationId]: metadata.correlationId,
          }),
          ...(metadata.traceparent !== undefined && {
            [RMQ_HEADERS.traceparent]: metadata.traceparent,
          }),
        },
      },
    };
  }
}
