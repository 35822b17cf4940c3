import { MESSAGING_ERROR_CODES, type FieldViolation, type RpcErrorPayload } from '#lib/contracts';
import { RpcException } from '@nestjs/microservices';

/**
 * A failed request or delivery, as the caller sees it: the `code` the handler replied with (a domain
 * code such as `CATALOG.OUT_OF_STOCK`, or a `MESSAGING.*` code). It is an RpcException so that
 * Nest's own RPC exception filter, when it sees one, replies with `payload` unchanged.
 */
export class RpcError extends RpcException {
  readonly code: string;
  readonly kind?: string;
  readonly details?: Readonly<Record<string, unknown>>;

  constructor(readonly payload: RpcErrorPayload) {
    super({ ...payload });
    this.name = 'RpcError';
    this.code = payload.code;
    if (payload.kind !== undefined) this.kind = payload.kind;
    if (payload.details !== undefined) this.details = payload.details;
  }

  static validationFailed(subject: string, violations: readonly FieldViolation[]): RpcError {
    return new RpcError({
      code: MESSAGING_ERROR_CODES.VALIDATION_FAILED,
      message: `${subject} is invalid: ${violations.map((v) => v.field || '(root)').join(', ')}`,
      kind: 'validation',
      details: { violations },
    });
  }

  static timeout(pattern: string, timeoutMs: number): RpcError {
    return new RpcError({
      code: MESSAGING_ERROR_CODES.TIMEOUT,
      message: `no reply to "${pattern}" within ${timeoutMs} ms`,
      details: { pattern, timeoutMs },
    });
  }

  static noHandler(pattern: string): RpcError {
    return new RpcError({
      code: MESSAGING_ERROR_CODES.NO_HANDLER,
      message: `no handler answers "${pattern}"`,
      details: { pattern },
    });
  }

  static unavailable(reason: string): RpcError {
    return new RpcError({ code: MESSAGING_ERROR_CODES.UNAVAILABLE, message: reason });
  }
}
