import { randomUUID } from 'node:crypto';
import type { ReadPacket } from '@nestjs/microservices';
import { CorrelationScope } from './correlation-scope.js';
import { currentTraceparent } from './trace-context.js';

/** Out-of-band values every packet carries, as message headers would on a broker. */
export interface MessageMetadata {
  readonly correlationId: string;
  /** Set when the packet is an envelope: the handler's work is caused by this message. */
  readonly messageId?: string;
  readonly traceparent?: string;
}

interface EnvelopeHeaders {
  id: string;
  correlationId: string;
  traceparent?: string;
}

const isEnvelopeLike = (data: unknown): data is EnvelopeHeaders =>
  typeof data === 'object' &&
  data !== null &&
  typeof (data as Record<string, unknown>).id === 'string' &&
  typeof (data as Record<string, unknown>).correlationId === 'string';

/**
 * A client dispatch hook (`ClientProxy#setOnDispatchHook`): an envelope keeps the correlation it was
 * created with (it may be relayed long after, outside any request); a request inherits the current
 * one, or starts a new chain.
 */
export function attachMessageMetadata(packet: ReadPacket): void {
  const traceparent = currentTraceparent();
  const metadata: MessageMetadata = isEnvelopeLike(packet.data)
    ? {
        correlationId: packet.data.correlationId,
        messageId: packet.data.id,
        ...(packet.data.traceparent !== undefined && { traceparent: packet.data.traceparent }),
      }
    : {
        correlationId: CorrelationScope.current()?.correlationId ?? randomUUID(),
        ...(traceparent !== undefined && { traceparent }),
      };
  packet.metadata = { ...metadata };
}

/** Reads metadata back on the receiving side, tolerating packets from foreign producers. */
export function readMessageMetadata(metadata: unknown): Partial<MessageMetadata> {
  if (typeof metadata !== 'object' || metadata === null) return {};
  const { correlationId, messageId, traceparent } = metadata as Record<string, unknown>;
  return {
    ...(typeof correlationId === 'string' && { correlationId }),
    ...(typeof messageId === 'string' && { messageId }),
    ...(typeof traceparent === 'string' && { traceparent }),
  };
}
