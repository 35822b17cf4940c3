import { type AsyncApiDocument, requestMessageName } from './asyncapi-document.js';
import type { JsonSchema } from './message-json-schema.js';

/**
 * Which side validates a message's values: the platform accepts requests (a narrower bound
 * refuses what callers send), and sends replies, events and dead letters (a wider bound gives
 * consumers what they did not expect).
 */
type Direction = 'accepted' | 'sent';

const LOWER_BOUNDS = ['minimum', 'minLength', 'minItems'] as const;
const UPPER_BOUNDS = ['maximum', 'maxLength', 'maxItems'] as const;
type Bound = (typeof LOWER_BOUNDS)[number] | (typeof UPPER_BOUNDS)[number];

/**
 * What a published version promises (docs/adr/0033-message-contract-versioning.md), checked
 * between the snapshot of that version and a fresh document: every operation and message it had
 * is still there under the same name; in each message's headers and body every field is still
 * there with the same type, no field became required, none the platform sends became optional,
 * no enum or constant lost a value, and no bound or pattern narrowed what the platform accepts or
 * widened what it sends. Adding operations, messages, optional fields and enum values is allowed.
 */
export function breakingChanges(published: AsyncApiDocument, current: AsyncApiDocument): string[] {
  const problems: string[] = [];
  const currentOperations = asRecord(current.operations);
  for (const [name, operation] of Object.entries(asRecord(published.operations))) {
    const now = currentOperations[name];
    if (now === undefined) {
      problems.push(`operation ${name} was removed or renamed`);
      continue;
    }
    const before = String(asRecord(operation).action);
    const after = String(asRecord(now).action);
    if (before !== after) problems.push(`operation ${name} changed from ${before} to ${after}`);
  }
  const currentMessages = current.components.messages;
  for (const [name, message] of Object.entries(published.components.messages)) {
    const now = currentMessages[name];
    if (now === undefined) {
      problems.push(`message ${name} was removed or renamed`);
      continue;
    }
    // Requests are named `<pattern>.request`.
    const direction: Direction = name.endsWith(requestMessageName('')) ? 'accepted' : 'sent';
    compareSchemas(`${name} headers`, message.headers, now.headers, direction, problems);
    compareSchemas(`${name} payload`, message.payload, now.payload, direction, problems);
  }
  return problems;
}

function compareSchemas(
  path: string,
  before: JsonSchema | undefined,
  after: JsonSchema | undefined,
  direction: Direction,
  problems: string[],
): void {
  if (before === undefined) return;
  if (after === undefined) {
    problems.push(`${path} lost its schema`);
    return;
  }
  const typesBefore = typesOf(before);
  const typesAfter = typesOf(after);
  if (typesBefore.join() !== typesAfter.join()) {
    problems.push(
      `${path} changed type from ${typesBefore.join('|') || 'any'} to ${typesAfter.join('|') || 'any'}`,
    );
  }
  if (before.format !== after.format) {
    problems.push(`${path} changed format from ${before.format} to ${after.format}`);
  }
  if (before.pattern !== after.pattern) {
    problems.push(`${path} changed pattern from ${before.pattern} to ${after.pattern}`);
  }
  compareBounds(path, before, after, direction, problems);
  const allowedBefore = allowedValues(before);
  if (allowedBefore !== undefined) {
    const allowedAfter = allowedValues(after);
    const lost = allowedAfter && allowedBefore.filter((value) => !allowedAfter.includes(value));
    if (lost && lost.length > 0) {
      problems.push(
        `${path} no longer allows ${lost.map((value) => JSON.stringify(value)).join(', ')}`,
      );
    }
  }
  const requiredBefore = new Set(before.required ?? []);
  const requiredAfter = new Set(after.required ?? []);
  for (const field of requiredAfter) {
    if (!requiredBefore.has(field)) problems.push(`${path}.${field} became required`);
  }
  // Consumers of what the platform sends rely on every field it promised to send.
  if (direction === 'sent') {
    for (const field of requiredBefore) {
      if (!requiredAfter.has(field)) problems.push(`${path}.${field} is no longer always sent`);
    }
  }
  const propertiesAfter = after.properties ?? {};
  for (const [field, schema] of Object.entries(before.properties ?? {})) {
    if (propertiesAfter[field] === undefined) {
      problems.push(`${path}.${field} was removed or renamed`);
    } else {
      compareSchemas(`${path}.${field}`, schema, propertiesAfter[field], direction, problems);
    }
  }
  compareSchemas(`${path}[]`, before.items, after.items, direction, problems);
}

/** A bound that now refuses values the platform accepted, or allows values it never sent. */
function compareBounds(
  path: string,
  before: JsonSchema,
  after: JsonSchema,
  direction: Direction,
  problems: string[],
): void {
  const report = (bound: Bound) =>
    problems.push(
      `${path} changed ${bound} from ${before[bound] ?? 'none'} to ${after[bound] ?? 'none'}`,
    );
  const lower = (value: number | undefined) => value ?? -Infinity;
  const upper = (value: number | undefined) => value ?? Infinity;
  for (const bound of LOWER_BOUNDS) {
    const raised = lower(after[bound]) > lower(before[bound]);
    const lowered = lower(after[bound]) < lower(before[bound]);
    if (direction === 'accepted' ? raised : lowered) report(bound);
  }
  for (const bound of UPPER_BOUNDS) {
    const lowered = upper(after[bound]) < upper(before[bound]);
    const raised = upper(after[bound]) > upper(before[bound]);
    if (direction === 'accepted' ? lowered : raised) report(bound);
  }
}

const typesOf = (schema: JsonSchema): string[] =>
  (Array.isArray(schema.type) ? [...schema.type] : schema.type ? [schema.type] : []).sort();

/** The values an enum or a constant allows; undefined when any value of the type is allowed. */
function allowedValues(schema: JsonSchema): unknown[] | undefined {
  if (schema.enum !== undefined) return schema.enum;
  if ('const' in schema) return [schema.const];
  return undefined;
}

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
