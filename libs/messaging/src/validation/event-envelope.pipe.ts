import type { PipeTransform, Type } from '@nestjs/common';
import { type MessageEnvelope, MessageEnvelopeSchema, messageNameVersion } from '#lib/contracts';
import { RpcError } from '../errors/rpc-error.js';
import { validateMessage } from './validate-message.js';

/**
 * Validates an event on receipt: the envelope's fields, then its payload against the event's
 * contract class. `onOrderPlaced(@Payload(new EventEnvelopePipe(OrderPlaced)) event: MessageEnvelope<OrderPlaced>)`.
 * An invalid event fails with MESSAGING.VALIDATION_FAILED, which the transport dead-letters at once
 * (a malformed message never becomes valid by retrying). Unknown payload fields are dropped, so
 * producers may add optional fields within a version.
 */
export class EventEnvelopePipe<T extends object> implements PipeTransform<
  unknown,
  Promise<MessageEnvelope<T>>
> {
  constructor(private readonly payloadType: Type<T>) {}

  async transform(value: unknown): Promise<MessageEnvelope<T>> {
    const envelope = await validateMessage(MessageEnvelopeSchema, value, {
      rejectUnknownFields: false,
    });
    if (!envelope.valid) throw RpcError.validationFailed('event envelope', envelope.violations);
    const { type, version } = envelope.value;
    if (messageNameVersion(type) !== version) {
      throw RpcError.validationFailed('event envelope', [
        { field: 'version', messages: [`version ${version} does not match type ${type}`] },
      ]);
    }
    const payload = await validateMessage(
      this.payloadType,
      envelope.value.payload,
      { rejectUnknownFields: false },
      'payload',
    );
    if (!payload.valid) throw RpcError.validationFailed(this.payloadType.name, payload.violations);
    return { ...envelope.value, payload: payload.value };
  }
}
