import type { OpenAPIObject } from '@nestjs/swagger';
import { OPEN_API_MARKERS } from '#lib/guards';
import { problemResponse } from '#lib/http-problems';
import { OPEN_API_TAGS } from './open-api-tags.js';

type PathItem = OpenAPIObject['paths'][string];
type Operation = NonNullable<PathItem['get']>;
type Responses = Operation['responses'];
type ResponseObject = Extract<Responses[string], { description: string }>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Marks an operation whose errors are RFC 6749 bodies, not problem+json (the OAuth endpoints). */
export const OAUTH_ERROR_FORMAT_MARKER = 'x-error-format';
export const BEARER_SCHEME = 'bearer';

const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

/** Headers the document refers to from its responses. */
const HEADERS = {
  RequestId: {
    description:
      'The request id: the one the client sent as x-request-id, or a new one. Quote it to support; the logs and traces carry it.',
    schema: { type: 'string' },
  },
  RetryAfter: {
    description: 'Seconds to wait before retrying',
    schema: { type: 'integer', minimum: 0 },
  },
  ETag: {
    description: "The representation's version, for If-None-Match (reads) and If-Match (edits)",
    schema: { type: 'string', example: '"3f2a91c0-…-v3"' },
  },
} as const;

function operationsOf(document: OpenAPIObject): Operation[] {
  return Object.values(document.paths).flatMap((pathItem: PathItem) =>
    METHODS.flatMap((method) => (pathItem[method] ? [pathItem[method]] : [])),
  );
}

type MarkedOperation = Operation & Record<string, unknown>;

/** Takes an extension off the operation, returning its value. */
function takeMarker(operation: MarkedOperation, name: string): unknown {
  const value = operation[name];
  delete operation[name];
  return value;
}

function addProblem(responses: Responses, status: number, description: string): void {
  responses[status] ??= problemResponse(status, description);
}

function documentAccess(operation: MarkedOperation): void {
  const isPublic = takeMarker(operation, OPEN_API_MARKERS.public) === true;
  const roles = takeMarker(operation, OPEN_API_MARKERS.roles) as string[] | undefined;
  if (isPublic) {
    operation.security = [];
    return;
  }
  // Every route the guards do not exempt needs a bearer token, whatever its decorators say.
  operation.security = [{ [BEARER_SCHEME]: [] }];
  addProblem(
    operation.responses,
    401,
    'UNAUTHENTICATED: no access token, or one that is expired, malformed or not ours',
  );
  if (roles?.length) {
    addProblem(
      operation.responses,
      403,
      `FORBIDDEN: the token lacks the role ${roles.join(' or ')}`,
    );
  }
}

function documentCommonProblems(operation: MarkedOperation): void {
  const rateLimited = takeMarker(operation, OPEN_API_MARKERS.rateLimited) !== false;
  if (takeMarker(operation, OAUTH_ERROR_FORMAT_MARKER) === 'oauth2') return;
  const responses = operation.responses;
  if ((operation.parameters?.length ?? 0) > 0 || operation.requestBody) {
    addProblem(responses, 400, 'VALIDATION_FAILED: a parameter or the body is invalid');
  }
  if (operation.requestBody) {
    addProblem(responses, 413, 'PAYLOAD_TOO_LARGE: the body is over the size limit');
    addProblem(responses, 415, 'UNSUPPORTED_MEDIA_TYPE: the body is not of a type listed here');
  }
  if (rateLimited) addProblem(responses, 429, 'RATE_LIMITED: too many requests; see Retry-After');
  addProblem(responses, 500, 'INTERNAL: unexpected error, logged with the request id');
  addProblem(
    responses,
    503,
    'SERVICE_UNAVAILABLE: a dependency (database, another service) is not answering; retry after Retry-After',
  );
}

/** x-request-id on every answer (Retry-After comes with the problem responses that carry it). */
function documentResponseHeaders(operation: Operation): void {
  for (const response of Object.values(operation.responses)) {
    if (!response || '$ref' in response) continue;
    const headers: NonNullable<ResponseObject['headers']> = (response.headers ??= {});
    headers['x-request-id'] = headerRef('RequestId');
  }
}

/** Declares the tags in use, in the order of OPEN_API_TAGS, and refuses an undeclared one. */
function declareTags(document: OpenAPIObject, operations: Operation[]): void {
  const used = new Set(operations.flatMap((operation) => operation.tags ?? []));
  const undeclared = [...used].filter((tag) => !(tag in OPEN_API_TAGS));
  if (undeclared.length > 0) {
    throw new Error(
      `OpenAPI tags without a description in OPEN_API_TAGS: ${undeclared.join(', ')}`,
    );
  }
  document.tags = Object.entries(OPEN_API_TAGS)
    .filter(([name]) => used.has(name))
    .map(([name, description]) => ({ name, description }));
}

type JsonValue = unknown;

/** Every object in a JSON tree, depth first. */
function* objectsIn(value: JsonValue): Generator<Record<string, JsonValue>> {
  if (Array.isArray(value)) {
    for (const item of value) yield* objectsIn(item);
  } else if (value !== null && typeof value === 'object') {
    const object = value as Record<string, JsonValue>;
    yield object;
    for (const child of Object.values(object)) yield* objectsIn(child);
  }
}

/**
 * OpenAPI 3.0 validates `enum` before `nullable`: a nullable enum without null in its list
 * refuses the null it says it allows (and generated clients drop `| null`).
 */
function addNullToNullableEnums(document: OpenAPIObject): void {
  for (const schema of objectsIn(document.components?.schemas)) {
    if (schema.nullable === true && Array.isArray(schema.enum) && !schema.enum.includes(null)) {
      schema.enum.push(null);
    }
  }
}

/** Integers are `integer`: a `number` would let a generated client send 1.5 as a quantity. */
function refuseUntypedNumbers(document: OpenAPIObject): void {
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    for (const object of objectsIn(schema)) {
      if (object.type === 'number' && object.format === undefined) {
        throw new Error(
          `OpenAPI schema ${name} has a plain number: declare type 'integer', or a format`,
        );
      }
    }
  }
}

/**
 * Keeps only the schemas the operations refer to, directly or through other schemas. Message
 * payload classes of the RPC handlers would otherwise appear as empty schemas.
 */
function pruneUnusedSchemas(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  const reachable = new Set<string>();
  const pending: JsonValue[] = [document.paths];
  while (pending.length > 0) {
    for (const object of objectsIn(pending.pop())) {
      const ref = object.$ref;
      if (typeof ref !== 'string' || !ref.startsWith('#/components/schemas/')) continue;
      const name = ref.slice('#/components/schemas/'.length);
      if (!reachable.has(name)) {
        reachable.add(name);
        pending.push(schemas[name]);
      }
    }
  }
  for (const name of Object.keys(schemas)) if (!reachable.has(name)) delete schemas[name];
}

function assertUniqueOperationIds(operations: Operation[]): void {
  const ids = operations.map((operation) => operation.operationId);
  const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
  if (repeated.length > 0) throw new Error(`Repeated OpenAPI operationIds: ${repeated.join(', ')}`);
}

/**
 * Adds to the document what every operation shares, so that handlers declare only their own
 * answers: security and 401/403 from the guards' metadata, the problem+json answers of the
 * platform (400 for invalid input, 413/415 for a body, 429, 500, 503), the x-request-id header,
 * and the declared tags. Then checks what decorators cannot: nullable enums
 * list null, numbers say whether they are integers, and no schema goes unused.
 */
export function completeOpenApiDocument(document: OpenAPIObject): OpenAPIObject {
  const operations = operationsOf(document);
  for (const operation of operations as MarkedOperation[]) {
    documentAccess(operation);
    documentCommonProblems(operation);
    documentResponseHeaders(operation);
  }
  declareTags(document, operations);
  assertUniqueOperationIds(operations);
  addNullToNullableEnums(document);
  refuseUntypedNumbers(document);
  pruneUnusedSchemas(document);
  document.components = {
    ...document.components,
    headers: { ...document.components?.headers, ...HEADERS },
  };
  return document;
}
