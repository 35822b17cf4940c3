import type { Type } from '@nestjs/common';
import type { FieldViolation } from '#lib/contracts';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';

export interface MessageValidationOptions {
  /**
   * Reject fields the class does not declare (requests: a caller's typo surfaces at once) instead
   * of dropping them (events: a producer may add optional fields within a version).
   */
  readonly rejectUnknownFields: boolean;
}

export type MessageValidationResult<T> =
  | { readonly valid: true; readonly value: T }
  | { readonly valid: false; readonly violations: FieldViolation[] };

function flatten(errors: readonly ValidationError[], parent: string): FieldViolation[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Turns received JSON into an instance of a contract class and checks its class-validator rules.
 * No implicit conversion: what arrives must already have the contract's JSON types.
 */
export async function validateMessage<T extends object>(
  type: Type<T>,
  value: unknown,
  options: MessageValidationOptions,
  fieldPrefix = '',
): Promise<MessageValidationResult<T>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      valid: false,
      violations: [{ field: fieldPrefix, messages: [`must be a JSON object (${type.name})`] }],
    };
  }
  const instance = plainToInstance(type, value);
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: options.rejectUnknownFields,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  return errors.length === 0
    ? { valid: true, value: instance }
    : { valid: false, violations: flatten(errors, fieldPrefix) };
}
