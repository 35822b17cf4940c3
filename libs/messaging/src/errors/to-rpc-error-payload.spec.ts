import { BadRequestException } from '@nestjs/common';
import { MESSAGING_ERROR_CODES } from '#lib/contracts';
import { DomainError } from '#lib/kernel';
import { RpcException } from '@nestjs/microservices';
import { NO_MESSAGE_HANDLER } from '@nestjs/microservices/constants.js';
import { RpcError } from './rpc-error.js';
import { toRpcErrorPayload } from './to-rpc-error-payload.js';

class OrderNotFoundError extends DomainError {
  readonly code = 'ORDERS.NOT_FOUND';
  readonly kind = 'not_found' as const;
}

const { INTERNAL, NO_HANDLER, TIMEOUT, VALIDATION_FAILED } = MESSAGING_ERROR_CODES;

describe('toRpcErrorPayload', () => {
  it.each([
    [
      'a domain error keeps its code, kind, message and details',
      new OrderNotFoundError('order o-1 does not exist', { orderId: 'o-1' }),
      {
        code: 'ORDERS.NOT_FOUND',
        kind: 'not_found',
        message: 'order o-1 does not exist',
        details: { orderId: 'o-1' },
      },
    ],
    [
      'an RpcError passes through unchanged',
      RpcError.timeout('catalog.v1.basket.price', 50),
      {
        code: TIMEOUT,
        message: 'no reply to "catalog.v1.basket.price" within 50 ms',
        details: { pattern: 'catalog.v1.basket.price', timeoutMs: 50 },
      },
    ],
    [
      'an error payload received from the wire is taken as it is',
      { code: 'CATALOG.OUT_OF_STOCK', message: 'gone', kind: 'conflict' },
      { code: 'CATALOG.OUT_OF_STOCK', message: 'gone', kind: 'conflict' },
    ],
    [
      "RabbitMQ's no-handler reply becomes MESSAGING.NO_HANDLER",
      NO_MESSAGE_HANDLER,
      { code: NO_HANDLER, message: NO_MESSAGE_HANDLER },
    ],
    [
      "Nest's generic error reply becomes MESSAGING.INTERNAL_ERROR",
      { status: 'error', message: 'Internal server error' },
      { code: INTERNAL, message: 'Internal server error' },
    ],
    [
      'an RpcException raised with a text keeps the text',
      new RpcException('quota exceeded'),
      { code: INTERNAL, message: 'quota exceeded' },
    ],
    [
      'an unexpected error hides its message',
      new Error('password authentication failed for user "app"'),
      { code: INTERNAL, message: 'the handler failed unexpectedly' },
    ],
    [
      'a thrown non-error is unexpected too',
      42,
      { code: INTERNAL, message: 'the handler failed unexpectedly' },
    ],
  ])('%s', (_case, error, expected) => {
    expect(toRpcErrorPayload(error)).toEqual(expected);
  });

  it('turns a validation pipe rejection into MESSAGING.VALIDATION_FAILED with its violations', () => {
    const rejection = Object.assign(new BadRequestException('quantity must be positive'), {
      violations: [{ field: 'quantity', messages: ['quantity must be positive'] }],
    });

    expect(toRpcErrorPayload(rejection)).toEqual({
      code: VALIDATION_FAILED,
      kind: 'validation',
      message: 'the message is invalid',
      details: { violations: [{ field: 'quantity', messages: ['quantity must be positive'] }] },
    });
  });

  it("lists a plain bad request's messages when it has no violations", () => {
    const payload = toRpcErrorPayload(new BadRequestException(['sku must be a string']));

    expect(payload.details).toEqual({
      violations: [{ field: '', messages: ['sku must be a string'] }],
    });
  });
});
