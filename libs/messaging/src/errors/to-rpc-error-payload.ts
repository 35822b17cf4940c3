import { BadRequestException } from '@nestjs/common';
import {
  type FieldViolation,
  isRpcErrorPayload,
  MESSAGING_ERROR_CODES,
  type RpcErrorPayload,
} from '#lib/contracts';
import { DomainError } from '#lib/kernel';
import { RpcException } from '@nestjs/microservices';
import { NO_MESSAGE_HANDLER } from '@nestjs/microservices/constants.js';

/** What the caller learns about a failure we did not expect: nothing internal (no SQL, no stack). */
export const UNEXPECTED_FAILURE: RpcErrorPayload = {
  code: MESSAGING_ERROR_CODES.INTERNAL,
  message: 'the handler failed unexpectedly',
};

const violationsOf = (error: BadRequestException): FieldViolation[] => {
  const violations = (error as { violations?: unknown }).violations;
  if (Array.isArray(violations)) return violations as FieldViolation[];
  const response = error.getResponse();
  const messages = (response as { message?: unknown }).message;
  const list = Array.isArray(messages) ? messages.map(String) : [error.message];
  return [{ field: '', messages: list }];
};

function fromRpcExceptionError(error: unknown): RpcErrorPayload {
  if (isRpcErrorPayload(error)) return error;
  if (error === NO_MESSAGE_HANDLER) {
    return { code: MESSAGING_ERROR_CODES.NO_HANDLER, message: NO_MESSAGE_HANDLER };
  }
  // An RpcException raised on purpose with a text: the text was meant for the caller.
  if (typeof error === 'string') return { code: MESSAGING_ERROR_CODES.INTERNAL, message: error };
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string'
    ? { code: MESSAGING_ERROR_CODES.INTERNAL, message }
    : UNEXPECTED_FAILURE;
}

/**
 * The one translation of a failure into what travels back to the caller, used on both sides: by
 * the handler's side to build the reply, and by the caller's side to read whatever a transport
 * delivered (our payload, Nest's `{ status, message }`, or RabbitMQ's "no handler" text).
 */
export function toRpcErrorPayload(error: unknown): RpcErrorPayload {
  if (error instanceof DomainError) {
    return {
      code: error.code,
      message: error.message,
      kind: error.kind,
      ...(error.details !== undefined && { details: error.details }),
    };
  }
  if (error instanceof RpcException) return fromRpcExceptionError(error.getError());
  if (error instanceof BadRequestException) {
    const violations = violationsOf(error);
    return {
      code: MESSAGING_ERROR_CODES.VALIDATION_FAILED,
      message: 'the message is invalid',
      kind: 'validation',
      details: { violations },
    };
  }
  if (error instanceof Error) return UNEXPECTED_FAILURE;
  return fromRpcExceptionError(error);
}

/** True when the failure is a bug or an outage rather than an answer the handler meant to give. */
export const isUnexpectedFailure = (error: unknown): boolean =>
  !(error instanceof DomainError) &&
  !(error instanceof RpcException) &&
  !(error instanceof BadRequestException);
