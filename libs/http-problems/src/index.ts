// The problem+json answer (RFC 9457, ADR 0003) and its OpenAPI declaration, apart from
// libs/platform so that controllers can declare their errors without loading the HTTP platform
// (its metrics module cannot be loaded by Jest's ESM runtime).
export {
  ApiProblemResponses,
  type DeclaredProblemStatus,
  problemResponse,
  RETRY_AFTER_HEADERS,
} from './api-problem-responses.decorator.js';
export { genericProblem, STATUS_BY_DOMAIN_KIND } from './http-status-codes.js';
export {
  FieldViolationDocument,
  PROBLEM_CONTENT_TYPE,
  ProblemDocument,
  problemType,
  type FieldViolation,
  type ProblemDetails,
} from './problem-details.js';
