import type { MessageEnvelope } from '#lib/contracts';

/** The rest of the envelope, kept in the outbox's `headers` column. */
export interface OutboxHeaders {
  readonly version: number;
  readonly occurredAt: string;
  readonly correlationId: string;
  readonly causationId?: string;
  readonly traceparent?: string;
}

export interface OutboxRow {
  readonly id: string;
  readonly type: string;
  readonly payload: unknown;
  readonly headers: OutboxHeaders;
}

/** Envelope to outbox columns and back: the id, type and payload get columns, the rest headers. */
export const OutboxMessageMapper = {
  toRow(envelope: MessageEnvelope): OutboxRow {
    const { id, type, payload, version, occurredAt, correlationId, causationId, traceparent } =
      envelope;
    return {
      id,
      type,
      payload,
      headers: {
        version,
        occurredAt,
        correlationId,
        ...(causationId !== undefined && { causationId }),
        ...(traceparent !== undefined && { traceparent }),
      },
    };
  },

  toEnvelope(row: OutboxRow): MessageEnvelope {
    const { version, occurredAt, correlationId, causationId, traceparent } = row.headers;
    return {
      id: row.id,
      type: row.type,
      version,
      occurredAt,
      correlationId,
      ...(causationId !== undefined && { causationId }),
      ...(traceparent !== undefined && { traceparent }),
      payload: row.payload,
    };
  },
};
