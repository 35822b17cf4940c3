import { BadRequestException } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import type { FieldViolation } from '#lib/http-problems';

function flatten(errors: readonly ValidationError[], parent = ''): FieldViolation[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Raised by the global ValidationPipe; the problem filter lists `violations` as `errors`. */
export class RequestValidationException extends BadRequestException {
  readonly violations: FieldViolation[];

  constructor(errors: readonly ValidationError[] | readonly FieldViolation[]) {
    const violations = errors
      .map((error) => ('field' in error ? [error] : flatten([error])))
      .flat();
    super(violations.map((violation) => violation.messages.join('; ')).join('; '));
    this.violations = violations;
  }
}
