import fc from 'fast-check';
import type { SecurityRequest } from './observed-traffic.js';

/**
 * Requests generated from the OpenAPI document the app serves: for every operation, parameters
 * and bodies that follow its schemas (so the request gets past validation into the handler) mixed
 * with hostile values (wrong types, NUL, lone surrogates, huge strings, injection text, extra and
 * prototype keys, deep nesting, bodies that are not JSON at all).
 */

export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly example?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly items?: JsonSchema;
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: readonly string[];
}

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: JsonSchema;
}

interface Operation {
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly content: Record<string, { readonly schema: JsonSchema }> };
}

export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components?: { readonly schemas?: Record<string, JsonSchema> };
}

export interface FuzzedOperation {
  readonly method: string;
  readonly pathTemplate: string;
  readonly operation: Operation;
  readonly schemas: Record<string, JsonSchema>;
}

/** What a generated request may use: real tokens and ids, so requests reach the handlers. */
export interface FuzzFixtures {
  readonly tokens: Record<'customer' | 'otherCustomer' | 'admin', string>;
  /** Ids that exist (a product, an order, a user...), used for uuid-shaped values. */
  readonly ids: readonly string[];
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** Every operation of one or more documents (split mode: one per app), each listed once. */
export function operationsOf(documents: readonly OpenApiDocument[]): FuzzedOperation[] {
  const seen = new Map<string, FuzzedOperation>();
  for (const document of documents) {
    const schemas = document.components?.schemas ?? {};
    for (const [pathTemplate, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!HTTP_METHODS.has(method)) continue;
        const key = `${method.toUpperCase()} ${pathTemplate}`;
        if (!seen.has(key)) {
          seen.set(key, { method: method.toUpperCase(), pathTemplate, operation, schemas });
        }
      }
    }
  }
  return [...seen.values()];
}

/** Strings that reached the database or the validator unchecked in the past, and their kin. */
const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '\ufeff',
  '\u202e',
  '𝕏🙂',
  "' OR '1'='1' --",
  '"; DROP TABLE users; --',
  '%00',
  '%',
  '..%2f..%2fetc%2fpasswd',
  '../../etc/passwd',
  '${7*7}{{7*7}}',
  '<script>alert(1)</script>',
  '-1',
  '0',
  '-0',
  '1e309',
  'NaN',
  'Infinity',
  '9007199254740993',
  'true',
  'null',
  '[]',
  '{}',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '__proto__',
  'constructor',
  'x'.repeat(10_000),
] as const;

const HOSTILE_NUMBERS = [
  -1,
  0,
  -0,
  0.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  2 ** 31,
  -(2 ** 31) - 1,
  Number.MAX_SAFE_INTEGER,
] as const;

const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
  );

/** Any JSON value, a few levels deep, with keys a prototype-pollution probe would use. */
const hostileJson = (): fc.Arbitrary<unknown> =>
  fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant(null),
      fc.boolean(),
      fc.constantFrom(...HOSTILE_NUMBERS),
      fc.double(),
      hostileString(),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(
        fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'role')),
        tie('value'),
        { maxKeys: 4 },
      ),
    ),
  })).value;

/** Fields a mass-assignment attempt adds to a body; the app must refuse or ignore them. */
const MASS_ASSIGNMENT = {
  role: 'admin',
  roles: ['admin'],
  id: '00000000-0000-4000-8000-000000000001',
  customerId: '00000000-0000-4000-8000-000000000002',
  status: 'paid',
  total: 0,
  unitPrice: 0,
  passwordHash: '$argon2id$v=19$m=1,t=1,p=1$AAAA$AAAA',
  version: 1,
  active: true,
  createdAt: '2000-01-01T00:00:00.000Z',
} as const;

export class SchemaValues {
  constructor(
    private readonly schemas: Record<string, JsonSchema>,
    private readonly fixtures: FuzzFixtures,
  ) {}

  private resolve(schema: JsonSchema): JsonSchema {
    if (schema.$ref === undefined) return schema;
    const name = schema.$ref.split('/').at(-1) ?? '';
    return this.schemas[name] ?? {};
  }

  /** A value that follows the schema, or breaks it a little (out of range, wrong enum...). */
  validish(raw: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
    const schema = this.resolve(raw);
    const example = schema.example === undefined ? [] : [fc.constant(schema.example)];
    if (schema.enum !== undefined && schema.enum.length > 0) {
      return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...schema.enum) }, hostileString());
    }
    switch (schema.type) {
      case 'string':
        return this.validishString(schema, example);
      case 'number':
      case 'integer': {
        const min = schema.minimum ?? -1_000;
        const max = schema.maximum ?? Math.max(min + 1_000, 1_000_000);
        return fc.oneof(
          { weight: 5, arbitrary: fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) },
          fc.constantFrom(min - 1, max + 1, min + 0.5),
          ...example,
        );
      }
      case 'boolean':
        return fc.boolean();
      case 'array':
        if (depth > 4) return fc.constant([]);
        return fc.array(this.validish(schema.items ?? {}, depth + 1), {
          minLength: Math.min(schema.minItems ?? 0, 3),
          maxLength: Math.min(schema.maxItems ?? 5, 5),
        });
      case 'object':
      case undefined:
        if (schema.properties === undefined) return depth > 2 ? fc.constant({}) : hostileJson();
        return this.validishObject(schema, depth);
      default:
        return hostileJson();
    }
  }

  /** A body for the schema: mostly valid-ish, else hostile or with mass-assignment fields. */
  body(schema: JsonSchema): fc.Arbitrary<unknown> {
    return fc.oneof(
      { weight: 6, arbitrary: this.validish(schema) },
      {
        weight: 2,
        arbitrary: this.validish(schema).map((value) =>
          value !== null && typeof value === 'object' && !Array.isArray(value)
            ? { ...MASS_ASSIGNMENT, ...value }
            : value,
        ),
      },
      { weight: 2, arbitrary: hostileJson() },
    );
  }

  /** A string for a query, header or path parameter. */
  parameter(schema: JsonSchema | undefined): fc.Arbitrary<string> {
    return fc.oneof(
      { weight: 5, arbitrary: this.validish(schema ?? { type: 'string' }).map(asParameter) },
      { weight: 3, arbitrary: hostileString() },
    );
  }

  private validishString(
    schema: JsonSchema,
    example: readonly fc.Arbitrary<unknown>[],
  ): fc.Arbitrary<unknown> {
    const maxLength = schema.maxLength ?? 64;
    if (schema.format === 'uuid') {
      return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...this.fixtures.ids) },
        { weight: 2, arbitrary: fc.uuid() },
        hostileString(),
      );
    }
    return fc.oneof(
      { weight: 3, arbitrary: fc.string({ minLength: schema.minLength ?? 0, maxLength }) },
      { weight: 2, arbitrary: fc.constantFrom(...this.fixtures.ids) },
      fc.string({ minLength: maxLength + 1, maxLength: maxLength + 8 }),
      fc.emailAddress(),
      hostileString(),
      ...example.map((arbitrary) => ({ weight: 3, arbitrary })),
    );
  }

  private validishObject(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
    const properties = Object.entries(schema.properties ?? {});
    const required = new Set(schema.required ?? []);
    const model = Object.fromEntries(
      properties.map(([name, property]) => [
        name,
        fc.oneof(
          { weight: 8, arbitrary: this.validish(property, depth + 1) },
          { weight: 1, arbitrary: hostileJson() },
        ),
      ]),
    );
    return fc.record(model, {
      // Required fields are usually present: a body missing them stops at validation.
      requiredKeys: properties.map(([name]) => name).filter((name) => required.has(name)),
    });
  }
}

const asParameter = (value: unknown): string =>
  typeof value === 'string' ? value : (JSON.stringify(value) ?? '');

/** Percent-encodes every byte of the UTF-8 form (a lone surrogate becomes U+FFFD) but unreserved ones. */
export const percentEncode = (text: string): string =>
  [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9\-._~]/.test(char)
        ? char
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');

/** A header value fetch can send: Latin-1 without control characters, at most 4 KiB. */
const asHeaderValue = (text: string): string =>
  text.replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, '?').slice(0, 4_096);

type Caller = 'anonymous' | 'customer' | 'otherCustomer' | 'admin' | 'garbage';

const CALLERS: readonly Caller[] = ['anonymous', 'customer', 'otherCustomer', 'admin', 'garbage'];

/** One generated request for the operation, authenticated as one of the callers or not at all. */
export function requestFor(
  fuzzed: FuzzedOperation,
  fixtures: FuzzFixtures,
): fc.Arbitrary<SecurityRequest> {
  const values = new SchemaValues(fuzzed.schemas, fixtures);
  const parameters = fuzzed.operation.parameters ?? [];
  const parameterValues = fc.tuple(
    ...parameters.map((parameter) =>
      parameter.required === true || parameter.in === 'path'
        ? values.parameter(parameter.schema).map((value) => ({ parameter, value }))
        : fc
            .option(values.parameter(parameter.schema), { nil: undefined, freq: 3 })
            .map((value) => ({ parameter, value })),
    ),
  );
  const content = Object.entries(fuzzed.operation.requestBody?.content ?? {});
  const body: fc.Arbitrary<{ contentType?: string; text?: string }> =
    // fetch sends no body with a GET.
    fuzzed.method === 'GET'
      ? fc.constant({})
      : content.length === 0
        ? fc.oneof(
            { weight: 9, arbitrary: fc.constant({}) },
            hostileJson().map((value) => ({
              contentType: 'application/json',
              text: JSON.stringify(value),
            })),
          )
        : fc.oneof(
            ...content.map(([contentType, { schema }]) => ({
              weight: 9,
              arbitrary: values.body(schema).map((value) => ({
                contentType,
                text: encodeBody(contentType, value),
              })),
            })),
            // Not what the content type says, or not the content type the operation takes.
            fc.constantFrom(
              { contentType: 'application/json', text: '{"unterminated": ' },
              { contentType: 'application/json', text: '' },
              { contentType: 'application/json', text: '\u0000' },
              { contentType: 'text/plain', text: 'hello' },
              { contentType: 'application/xml', text: '<a>1</a>' },
              { contentType: 'application/x-www-form-urlencoded', text: 'a=%zz&b' },
              { contentType: 'application/json; charset=utf-16', text: '{}' },
            ),
          );

  return fc
    .record({
      caller: fc.constantFrom(...CALLERS),
      parameters: parameterValues,
      extraQuery: fc.option(fc.tuple(fc.string({ maxLength: 12 }), hostileString()), {
        nil: undefined,
        freq: 4,
      }),
      body,
    })
    .map(({ caller, parameters: chosen, extraQuery, body: { contentType, text } }) => {
      let path = fuzzed.pathTemplate;
      const query = new URLSearchParams();
      const headers: Record<string, string> = {};
      for (const { parameter, value } of chosen) {
        if (value === undefined) continue;
        if (parameter.in === 'path') {
          path = path.replace(`{${parameter.name}}`, percentEncode(value) || '%20');
        } else if (parameter.in === 'query') {
          query.append(parameter.name, value);
        } else if (parameter.in === 'header') {
          headers[parameter.name.toLowerCase()] = asHeaderValue(value);
        }
      }
      if (extraQuery !== undefined) query.append(...extraQuery);
      const token = tokenOf(caller, fixtures);
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      if (contentType !== undefined) headers['content-type'] = contentType;
      const search = query.toString();
      return {
        method: fuzzed.method,
        path: search === '' ? path : `${path}?${search}`,
        headers,
        body: text,
      };
    });
}

function tokenOf(caller: Caller, fixtures: FuzzFixtures): string | undefined {
  if (caller === 'anonymous') return undefined;
  if (caller === 'garbage') return 'eyJhbGciOiJub25lIn0.e30.';
  return fixtures.tokens[caller];
}

function encodeBody(contentType: string, value: unknown): string {
  if (!contentType.includes('x-www-form-urlencoded')) return JSON.stringify(value) ?? 'null';
  if (value === null || typeof value !== 'object') return String(value);
  const form = new URLSearchParams();
  for (const [name, field] of Object.entries(value as Record<string, unknown>)) {
    for (const item of Array.isArray(field) ? field : [field]) form.append(name, asParameter(item));
  }
  return form.toString();
}
