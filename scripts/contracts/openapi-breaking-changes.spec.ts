import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type OpenApiDocument,
  type OpenApiSchema,
  openApiBreakingChanges,
  versionSnapshot,
} from './openapi-breaking-changes.js';

const committed = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../docs/contracts/openapi.json', import.meta.url)),
    'utf8',
  ),
) as OpenApiDocument;

const published = versionSnapshot(committed, '1');

interface OperationShape {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: OpenApiSchema }[];
}

const schema = (document: OpenApiDocument, name: string): OpenApiSchema => {
  const found = document.components?.schemas?.[name];
  if (!found) throw new Error(`no schema ${name}`);
  return found;
};
const property = (document: OpenApiDocument, name: string, field: string): OpenApiSchema => {
  const found = schema(document, name).properties?.[field];
  if (!found) throw new Error(`no ${name}.${field}`);
  return found;
};
const operation = (document: OpenApiDocument, path: string, method: string): OperationShape =>
  document.paths[path]?.[method] as OperationShape;

/** Each variant edits a copy of today's document the way a careless change would. */
const BREAKING: [string, (document: OpenApiDocument) => void, RegExp][] = [
  [
    'an operation removed',
    (document) => delete document.paths['/v1/orders/{id}/cancel'],
    /POST \/v1\/orders\/\{id\}\/cancel: operation removed/,
  ],
  [
    'a response field removed',
    (document) => delete schema(document, 'OrderResponseDto').properties?.total,
    // A schema used in many places is reported once, where the gate first meets it.
    /GET \/v1\/orders 200 application\/json\.items\[\]\.total: removed or renamed/,
  ],
  [
    'an integer turned into a string',
    (document) => (property(document, 'PriceDto', 'amountMinor').type = 'string'),
    /price\.amountMinor: type changed from integer to string/,
  ],
  [
    'a new required request field',
    (document) => {
      const placeOrder = schema(document, 'PlaceOrderRequestDto');
      placeOrder.properties = { ...placeOrder.properties, couponCode: { type: 'string' } };
      placeOrder.required = [...(placeOrder.required ?? []), 'couponCode'];
    },
    /POST \/v1\/orders request body application\/json\.couponCode: newly required/,
  ],
  [
    'a narrowed enum',
    (document) => {
      const status = property(document, 'OrderResponseDto', 'status');
      status.enum = status.enum?.filter((value) => value !== 'shipped');
    },
    /status: enum lost "shipped"/,
  ],
  [
    'an optional query parameter made required',
    (document) => {
      const cursor = operation(document, '/v1/products', 'get').parameters?.find(
        (parameter) => parameter.name === 'cursor',
      );
      if (cursor) cursor.required = true;
    },
    /GET \/v1\/products query parameter cursor: newly required/,
  ],
  [
    'a renamed operationId',
    (document) => (operation(document, '/v1/orders', 'post').operationId = 'createOrder'),
    /operationId changed from placeOrder to createOrder/,
  ],
  [
    'a response field no longer always sent',
    (document) => {
      const order = schema(document, 'OrderResponseDto');
      order.required = order.required?.filter((field) => field !== 'currency');
    },
    /\.currency: no longer always sent/,
  ],
  [
    'a response field that may now be null',
    (document) => (property(document, 'OrderResponseDto', 'currency').nullable = true),
    /\.currency: may now be null/,
  ],
  [
    'a success status no longer answered',
    (document) => {
      const responses = (document.paths['/v1/products/{id}']?.get as { responses: object })
        .responses as Record<string, unknown>;
      delete responses['304'];
    },
    /GET \/v1\/products\/\{id\} 304: no longer answered/,
  ],
];

const COMPATIBLE: [string, (document: OpenApiDocument) => void][] = [
  ['nothing changed', () => undefined],
  [
    'an optional request field added',
    (document) => {
      const placeOrder = schema(document, 'PlaceOrderRequestDto');
      placeOrder.properties = { ...placeOrder.properties, note: { type: 'string' } };
    },
  ],
  [
    'an operation added',
    (document) => (document.paths['/v1/wishlists'] = { get: { operationId: 'listWishlists' } }),
  ],
  [
    'an enum value added to a request field',
    (document) => {
      const roles = property(document, 'ChangeUserRolesRequestDto', 'roles').items;
      if (roles?.enum) roles.enum = [...roles.enum, 'support'];
    },
  ],
  [
    'an error status dropped',
    (document) => {
      const responses = (document.paths['/v1/orders']?.post as { responses: object })
        .responses as Record<string, unknown>;
      delete responses['409'];
    },
  ],
];

describe('OpenAPI breaking-change gate for /v1', () => {
  it('finds the committed document compatible with the committed v1 snapshot', () => {
    const snapshot = JSON.parse(
      readFileSync(
        fileURLToPath(new URL('../../docs/contracts/snapshots/openapi-v1.json', import.meta.url)),
        'utf8',
      ),
    ) as OpenApiDocument;
    expect(openApiBreakingChanges(snapshot, committed)).toEqual([]);
  });

  it.each(BREAKING)('fails on %s', (_name, breakIt, expected) => {
    const changed = structuredClone(committed);
    breakIt(changed);
    const problems = openApiBreakingChanges(published, changed);
    expect(problems.join('\n')).toMatch(expected);
  });

  it.each(COMPATIBLE)('allows %s', (_name, change) => {
    const changed = structuredClone(committed);
    change(changed);
    expect(openApiBreakingChanges(published, changed)).toEqual([]);
  });

  it('leaves unversioned paths (probes, JWKS) out of the v1 snapshot', () => {
    expect(Object.keys(published.paths).every((path) => path.startsWith('/v1/'))).toBe(true);
    expect(Object.keys(published.paths)).toContain('/v1/orders');
  });
});
