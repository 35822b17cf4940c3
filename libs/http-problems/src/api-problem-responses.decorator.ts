import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { genericProblem } from './http-status-codes.js';
import { PROBLEM_CONTENT_TYPE, problemType } from './problem-details.js';

/** The statuses a handler may declare itself; 401, 429, 500 and 503 are added to every operation. */
export type DeclaredProblemStatus = 400 | 403 | 404 | 409 | 412 | 415 | 422 | 503;

// Stable codes as they appear in descriptions: `CATALOG.SKU_TAKEN`, `VALIDATION_FAILED`.
const PROBLEM_CODE = /\b[A-Z]+(?:[._][A-Z]+)+\b/g;

/** `Retry-After` on the answers that carry it: 429, and 503 from the problem filter. */
export const RETRY_AFTER_HEADERS = { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } };

/** One problem+json response, with an example per stable code its description names. */
export function problemResponse(status: number, description: string) {
  const codes = [...new Set(description.match(PROBLEM_CODE) ?? [genericProblem(status).code])];
  const title = genericProblem(status).title;
  const content = {
    [PROBLEM_CONTENT_TYPE]: {
      schema: { $ref: '#/components/schemas/ProblemDocument' },
      examples: Object.fromEntries(
        codes.map((code) => [
          code,
          { value: { type: problemType(code), title, status, code, requestId: 'req-7d3c9e1a' } },
        ]),
      ),
    },
  };
  const retried = status === 429 || status === 503;
  return { description, content, ...(retried && { headers: { ...RETRY_AFTER_HEADERS } }) };
}

/**
 * Declares the error answers of an operation, each a problem+json document (ADR 0003), in one
 * decorator: `@ApiProblemResponses({ 404: 'CATALOG.PRODUCT_NOT_FOUND', 409: 'CATALOG.SKU_TAKEN' })`.
 * Name the stable codes in the description: they become the response's examples.
 */
export const ApiProblemResponses = (
  responses: Partial<Record<DeclaredProblemStatus, string>>,
): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ...Object.entries(responses).map(([status, description]) =>
      ApiResponse({ status: Number(status), ...problemResponse(Number(status), description) }),
    ),
  );
