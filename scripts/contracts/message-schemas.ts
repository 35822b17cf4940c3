import { IS_CURRENCY_CODE_OR_NULL, type MessageClass } from '#lib/contracts';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { IS_ISO4217_CURRENCY_CODE, IS_ISO8601, MAX, MIN, ValidationTypes } from 'class-validator';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import type { JsonSchema } from './message-json-schema.js';

const REF_PREFIX = '#/classes/';
const CURRENCY_CODE = { type: 'string', pattern: '^[A-Z]{3}$' } as const;

/**
 * JSON Schemas derived from the class-validator decorators of the contract classes, with
 * class-validator-jsonschema (docs/adr/0031-asyncapi-from-contract-classes.md). Nested classes are
 * inlined, so each message's schema stands alone. A field whose decorators give no type fails the
 * generation rather than publishing an empty schema.
 */
export class MessageSchemas {
  private readonly classes = new Map<string, MessageClass>();

  /** The schema of `type`. `closed` forbids unknown fields throughout (requests reject them). */
  of(type: MessageClass, { closed }: { closed: boolean }): JsonSchema {
    return this.inline(this.convert(type), closed, [type.name]);
  }

  private convert(type: MessageClass): JsonSchema {
    this.remember(type);
    const schema = targetConstructorToSchema(type, {
      classTransformerMetadataStorage: defaultMetadataStorage,
      refPointerPrefix: REF_PREFIX,
      additionalConverters: {
        [ValidationTypes.NESTED_VALIDATION]: (meta) => {
          const nested = defaultMetadataStorage
            .findTypeMetadata(meta.target as MessageClass, meta.propertyName)
            ?.typeFunction() as MessageClass | undefined;
          if (!nested) {
            throw new Error(`${name(meta.target)}.${meta.propertyName} needs @Type(() => Class)`);
          }
          this.remember(nested);
          return { $ref: `${REF_PREFIX}${nested.name}` };
        },
        // class-validator-jsonschema adds `type: number` to bounds, which would undo @IsInt.
        [MIN]: (meta) => ({ minimum: meta.constraints[0] as number }),
        [MAX]: (meta) => ({ maximum: meta.constraints[0] as number }),
        [IS_ISO8601]: { type: 'string', format: 'date-time' },
        [IS_ISO4217_CURRENCY_CODE]: CURRENCY_CODE,
        [IS_CURRENCY_CODE_OR_NULL]: { pattern: CURRENCY_CODE.pattern, type: ['string', 'null'] },
      },
    }) as JsonSchema;
    for (const [field, property] of Object.entries(schema.properties ?? {})) {
      if (!isTyped(property)) {
        throw new Error(`${type.name}.${field} has no schema: add a type decorator (IsString...)`);
      }
    }
    return schema;
  }

  private inline(schema: JsonSchema, closed: boolean, path: string[]): JsonSchema {
    if (schema.$ref !== undefined) {
      const className = schema.$ref.slice(REF_PREFIX.length);
      const nested = this.classes.get(className);
      if (!nested) throw new Error(`unknown class ${className} at ${path.join('.')}`);
      if (path.includes(className)) throw new Error(`recursive contract ${path.join(' > ')}`);
      return this.inline(this.convert(nested), closed, [...path, className]);
    }
    const result: JsonSchema = { ...schema };
    if (schema.items) result.items = this.inline(schema.items, closed, path);
    if (schema.properties) {
      result.properties = Object.fromEntries(
        Object.entries(schema.properties).map(([field, property]) => [
          field,
          this.inline(property, closed, path),
        ]),
      );
      if (closed) result.additionalProperties = false;
    }
    return result;
  }

  private remember(type: MessageClass): void {
    const known = this.classes.get(type.name);
    if (known && known !== type) throw new Error(`two contract classes are named ${type.name}`);
    this.classes.set(type.name, type);
  }
}

const name = (target: unknown): string =>
  typeof target === 'function' ? target.name : String(target);

const isTyped = (schema: JsonSchema): boolean =>
  schema.type !== undefined ||
  schema.$ref !== undefined ||
  schema.enum !== undefined ||
  (schema.items !== undefined && isTyped(schema.items)) ||
  schema.oneOf !== undefined;
