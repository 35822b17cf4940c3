import { ValidationPipe } from '@nestjs/common';
import { RequestValidationException } from './request-validation.exception.js';

/** Unknown fields are an error (not silently dropped) so client typos surface at once. */
export const createRequestValidationPipe = (): ValidationPipe =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationException(errors),
  });
