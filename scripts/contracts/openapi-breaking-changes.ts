/**
 * What a published REST version promises (docs/adr/0032-openapi-contract-and-breaking-change-gate.md), checked
 * between the committed snapshot of that version and the freshly generated document: every
 * operation is still there with its operationId; every parameter and request field is still
 * accepted with the same type, none became required and no enum lost a value; every success
 * status still answers, and every response field is still sent, with the same type, as surely
 * (a required field stays required, a non-null one stays non-null). Anything new and optional is
 * allowed. Refs are followed on each side, so moving a schema into components changes nothing.
 */

/** The part of an OpenAPI 3.0 schema object the gate reads. */
export interface OpenApiSchema {
  $ref?: string;
  type?: string;
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, OpenApiSchema>;
  items?: OpenApiSchema;
  additionalProperties?: boolean | OpenApiSchema;
  allOf?: OpenApiSchema[];
}

interface MediaTypes {
  content?: Record<string, { schema?: OpenApiSchema }>;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: OpenApiSchema;
}

interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: MediaTypes & { required?: boolean };
  responses?: Record<string, MediaTypes>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, OpenApiSchema> };
}

/** Which way a schema's data flows decides what is breaking: clients send requests, read responses. */
type Direction = 'request' | 'response';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

class SchemaResolver {
  constructor(private readonly document: OpenApiDocument) {}

  resolve(schema: OpenApiSchema | undefined): OpenApiSchema | undefined {
    let current = schema;
    for (let hops = 0; current?.$ref !== undefined && hops < 32; hops++) {
      const name = current.$ref.replace('#/components/schemas/', '');
      current = this.document.components?.schemas?.[name];
    }
    if (current?.allOf?.length === 1) return this.resolve(current.allOf[0]);
    return current;
  }
}

interface Comparison {
  readonly before: SchemaResolver;
  readonly after: SchemaResolver;
  readonly problems: string[];
  /** Named schema pairs already compared (once is enough, and recursive schemas end). */
  readonly seen: Set<string>;
}

function compareSchemas(
  where: string,
  direction: Direction,
  beforeSchema: OpenApiSchema | undefined,
  afterSchema: OpenApiSchema | undefined,
  comparison: Comparison,
): void {
  const before = comparison.before.resolve(beforeSchema);
  const after = comparison.after.resolve(afterSchema);
  if (before === undefined) return;
  if (after === undefined) {
    comparison.problems.push(`${where}: its schema is gone`);
    return;
  }
  if (beforeSchema?.$ref !== undefined && afterSchema?.$ref !== undefined) {
    const pair = `${direction} ${beforeSchema.$ref} ${afterSchema.$ref}`;
    if (comparison.seen.has(pair)) return;
    comparison.seen.add(pair);
  }
  const { problems } = comparison;

  if ((before.type ?? 'any') !== (after.type ?? 'any') && before.type !== undefined) {
    problems.push(`${where}: type changed from ${before.type} to ${after.type ?? 'any'}`);
  }
  if (before.format !== after.format && before.format !== undefined) {
    problems.push(`${where}: format changed from ${before.format} to ${after.format ?? 'none'}`);
  }
  const nullBefore = before.nullable === true;
  const nullAfter = after.nullable === true;
  if (direction === 'request' && nullBefore && !nullAfter) {
    problems.push(`${where}: no longer accepts null`);
  }
  if (direction === 'response' && !nullBefore && nullAfter) {
    problems.push(`${where}: may now be null`);
  }
  if (before.enum !== undefined) {
    const allowed = after.enum;
    const lost = allowed ? before.enum.filter((value) => !allowed.includes(value)) : [];
    if (lost.length > 0) {
      problems.push(`${where}: enum lost ${lost.map((value) => JSON.stringify(value)).join(', ')}`);
    }
  }

  const requiredBefore = new Set(before.required ?? []);
  const requiredAfter = new Set(after.required ?? []);
  const propertiesAfter = after.properties ?? {};
  for (const [field, schema] of Object.entries(before.properties ?? {})) {
    const path = `${where}.${field}`;
    if (propertiesAfter[field] === undefined) {
      problems.push(`${path}: removed or renamed`);
      continue;
    }
    if (direction === 'response' && requiredBefore.has(field) && !requiredAfter.has(field)) {
      problems.push(`${path}: no longer always sent (it was required)`);
    }
    compareSchemas(path, direction, schema, propertiesAfter[field], comparison);
  }
  if (direction === 'request') {
    for (const field of requiredAfter) {
      if (!requiredBefore.has(field)) problems.push(`${where}.${field}: newly required`);
    }
  }
  compareSchemas(`${where}[]`, direction, before.items, after.items, comparison);
  if (typeof before.additionalProperties === 'object') {
    const afterAdditional =
      typeof after.additionalProperties === 'object' ? after.additionalProperties : undefined;
    compareSchemas(
      `${where}{}`,
      direction,
      before.additionalProperties,
      afterAdditional,
      comparison,
    );
  }
}

function compareContent(
  where: string,
  direction: Direction,
  before: MediaTypes | undefined,
  after: MediaTypes | undefined,
  comparison: Comparison,
): void {
  for (const [mediaType, media] of Object.entries(before?.content ?? {})) {
    const now = after?.content?.[mediaType];
    if (now === undefined) {
      comparison.problems.push(
        `${where}: no longer ${direction === 'request' ? 'accepts' : 'answers'} ${mediaType}`,
      );
      continue;
    }
    compareSchemas(`${where} ${mediaType}`, direction, media.schema, now.schema, comparison);
  }
}

function compareParameters(
  where: string,
  before: Operation,
  after: Operation,
  comparison: Comparison,
): void {
  const key = (parameter: Parameter): string => `${parameter.in}:${parameter.name.toLowerCase()}`;
  const afterByKey = new Map(
    (after.parameters ?? []).map((parameter) => [key(parameter), parameter]),
  );
  const beforeKeys = new Set((before.parameters ?? []).map(key));
  for (const parameter of before.parameters ?? []) {
    const path = `${where} ${parameter.in} parameter ${parameter.name}`;
    const now = afterByKey.get(key(parameter));
    if (now === undefined) {
      comparison.problems.push(`${path}: removed or renamed`);
      continue;
    }
    if (!parameter.required && now.required) comparison.problems.push(`${path}: newly required`);
    compareSchemas(path, 'request', parameter.schema, now.schema, comparison);
  }
  for (const parameter of after.parameters ?? []) {
    if (parameter.required && !beforeKeys.has(key(parameter))) {
      comparison.problems.push(
        `${where} ${parameter.in} parameter ${parameter.name}: newly required`,
      );
    }
  }
}

function compareOperations(
  where: string,
  before: Operation,
  after: Operation,
  comparison: Comparison,
): void {
  if (before.operationId !== after.operationId) {
    comparison.problems.push(
      `${where}: operationId changed from ${before.operationId} to ${after.operationId} (generated clients call it by name)`,
    );
  }
  compareParameters(where, before, after, comparison);
  if (before.requestBody !== undefined || after.requestBody?.required) {
    if (!before.requestBody?.required && after.requestBody?.required) {
      comparison.problems.push(`${where} request body: newly required`);
    }
    compareContent(
      `${where} request body`,
      'request',
      before.requestBody,
      after.requestBody,
      comparison,
    );
  }
  for (const [status, response] of Object.entries(before.responses ?? {})) {
    const now = after.responses?.[status];
    if (now === undefined) {
      // A client may rely on a success answer; an error it no longer gets breaks nobody.
      if (/^[23]/.test(status)) comparison.problems.push(`${where} ${status}: no longer answered`);
      continue;
    }
    compareContent(`${where} ${status}`, 'response', response, now, comparison);
  }
}

/** The breaking changes from `published` to `current`, one sentence each; empty when compatible. */
export function openApiBreakingChanges(
  published: OpenApiDocument,
  current: OpenApiDocument,
): string[] {
  const comparison: Comparison = {
    before: new SchemaResolver(published),
    after: new SchemaResolver(current),
    problems: [],
    seen: new Set(),
  };
  for (const [path, pathItem] of Object.entries(published.paths)) {
    for (const method of HTTP_METHODS) {
      const before = pathItem[method] as Operation | undefined;
      if (before === undefined) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const after = current.paths[path]?.[method] as Operation | undefined;
      if (after === undefined) {
        comparison.problems.push(`${where}: operation removed`);
        continue;
      }
      compareOperations(where, before, after, comparison);
    }
  }
  return comparison.problems;
}

/** The published part of a document for one version: its paths under `/v<version>/`. */
export function versionSnapshot(document: OpenApiDocument, version: string): OpenApiDocument {
  const prefix = `/v${version}/`;
  return {
    ...document,
    paths: Object.fromEntries(
      Object.entries(document.paths).filter(([path]) => path.startsWith(prefix)),
    ),
  };
}
