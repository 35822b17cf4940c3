import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { RequestValidationException } from './request-validation.exception.js';
import { requestTextViolations } from './request-text-violations.js';

/** What a client sends; custom parameters (the authenticated user...) come from the server. */
const CLIENT_INPUT = new Set<ArgumentMetadata['type']>(['body', 'query', 'param']);

/**
 * The global pipe. Before class-transformer and class-validator see a client's value, it refuses
 * text no route can use (NUL, unpaired surrogates) and nesting deep enough to overflow their
 * recursion, so no such value reaches a validator or the database on any route. Unknown fields
 * are an error (not silently dropped) so client typos surface at once.
 */
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      stopAtFirstError: false,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new RequestValidationException(errors),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (CLIENT_INPUT.has(metadata.type)) {
      const violations = requestTextViolations(value, metadata.data ?? '');
      if (violations.length > 0) throw new RequestValidationException(violations);
    }
    return super.transform(value, metadata);
  }
}

export const createRequestValidationPipe = (): ValidationPipe => new RequestValidationPipe();
