import { HttpStatus } from '@nestjs/common';
import type { DomainErrorKind } from '#lib/kernel';

/** The single place where a domain error kind becomes an HTTP status. */
export const STATUS_BY_DOMAIN_KIND: Record<DomainErrorKind, HttpStatus> = {
  validation: HttpStatus.BAD_REQUEST,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
};

/** Stable codes (and titles) for errors raised by the framework rather than by a context. */
export const GENERIC_PROBLEMS: Record<number, { code: string; title: string }> = {
  400: { code: 'BAD_REQUEST', title: 'Bad request' },
  401: { code: 'UNAUTHENTICATED', title: 'Authentication required' },
  403: { code: 'FORBIDDEN', title: 'Forbidden' },
  404: { code: 'NOT_FOUND', title: 'Not found' },
  405: { code: 'METHOD_NOT_ALLOWED', title: 'Method not allowed' },
  406: { code: 'NOT_ACCEPTABLE', title: 'Not acceptable' },
  408: { code: 'REQUEST_TIMEOUT', title: 'Request not received in time' },
  409: { code: 'CONFLICT', title: 'Conflict' },
  412: { code: 'PRECONDITION_FAILED', title: 'Precondition failed' },
  413: { code: 'PAYLOAD_TOO_LARGE', title: 'Request body too large' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', title: 'Unsupported media type' },
  422: { code: 'UNPROCESSABLE', title: 'Unprocessable request' },
  429: { code: 'RATE_LIMITED', title: 'Too many requests' },
  431: { code: 'REQUEST_HEADERS_TOO_LARGE', title: 'Request headers too large' },
  500: { code: 'INTERNAL', title: 'Internal error' },
  503: { code: 'SERVICE_UNAVAILABLE', title: 'Service temporarily unavailable' },
};

export const genericProblem = (status: number): { code: string; title: string } =>
  GENERIC_PROBLEMS[status] ??
  (status >= 500 ? GENERIC_PROBLEMS[500] : { code: `HTTP_${status}`, title: 'Request failed' });
