import type { PipeTransform, Type } from '@nestjs/common';
import { RpcError } from '../errors/rpc-error.js';
import { validateMessage } from './validate-message.js';

/**
 * Validates a request's payload on receipt against its contract class:
 * `price(@Payload(new MessagePayloadPipe(PriceBasketRequest)) request: PriceBasketRequest)`.
 * An invalid request is answered with MESSAGING.VALIDATION_FAILED listing the fields, and never
 * reaches the handler. Unknown fields are rejected, like on the HTTP edge.
 */
export class MessagePayloadPipe<T extends object> implements PipeTransform<unknown, Promise<T>> {
  constructor(private readonly type: Type<T>) {}

  async transform(value: unknown): Promise<T> {
    const result = await validateMessage(this.type, value, { rejectUnknownFields: true });
    if (!result.valid) throw RpcError.validationFailed(this.type.name, result.violations);
    return result.value;
  }
}
