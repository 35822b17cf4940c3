import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// Both packages are CommonJS: under native ESM their default import is the exports object.
const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;

export const OPENAPI_DOCUMENT_FILE = fileURLToPath(
  new URL('../../docs/contracts/openapi.json', import.meta.url),
);

interface MediaType {
  schema?: object;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
  headers?: Record<string, { $ref?: string; required?: boolean }>;
}
interface OperationObject {
  operationId: string;
  responses: Record<string, ResponseObject>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components: Record<string, unknown>;
}

const DOCUMENT_ID = 'openapi.json';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/**
 * Checks real answers against docs/contracts/openapi.json: the status must be documented for the
 * operation, and the content type, body and headers must be what the document says. Records which
 * operations and statuses were exercised, so a suite can prove it covered every operation.
 */
export class OpenApiContract {
  private readonly document: OpenApiDocument;
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly exercised = new Map<string, Set<string>>();

  constructor(file = OPENAPI_DOCUMENT_FILE) {
    this.document = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
    addFormats(this.ajv);
    this.ajv.addFormat('password', true);
    // The components, under an id the response schemas can refer to.
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: this.document.components });
  }

  /** `operationId` of every operation in the document. */
  operationIds(): string[] {
    return Object.values(this.document.paths).flatMap((pathItem) =>
      HTTP_METHODS.flatMap((method) => (pathItem[method] ? [pathItem[method].operationId] : [])),
    );
  }

  /** operationId -> the statuses seen. */
  coverage(): ReadonlyMap<string, ReadonlySet<string>> {
    return this.exercised;
  }

  /**
   * Reads the answer's body and returns the problems found (empty when it matches the document).
   * `path` is the document's path template, e.g. `/v1/orders/{id}`.
   */
  async check(method: string, path: string, response: Response): Promise<string[]> {
    const operation = this.document.paths[path]?.[method.toLowerCase()];
    if (!operation) return [`${method} ${path} is not in the document`];
    const status = String(response.status);
    const text = await response.text();
    const documented = operation.responses[status];
    const where = `${operation.operationId} ${status}`;
    if (!documented) {
      return [`${where}: status not documented (body: ${text.slice(0, 300)})`];
    }
    this.recordExercised(operation.operationId, status);
    return [
      ...this.checkHeaders(where, documented, response),
      ...this.checkBody(where, documented, response, text),
    ];
  }

  private recordExercised(operationId: string, status: string): void {
    const statuses = this.exercised.get(operationId) ?? new Set<string>();
    statuses.add(status);
    this.exercised.set(operationId, statuses);
  }

  private checkHeaders(where: string, documented: ResponseObject, response: Response): string[] {
    return Object.keys(documented.headers ?? {})
      .filter((name) => /^(x-request-id|retry-after|etag)$/i.test(name))
      .filter((name) => response.headers.get(name) === null)
      .map((name) => `${where}: documented header ${name} is missing`);
  }

  private checkBody(
    where: string,
    documented: ResponseObject,
    response: Response,
    text: string,
  ): string[] {
    const mediaTypes = Object.keys(documented.content ?? {});
    if (mediaTypes.length === 0) {
      return text.length === 0 ? [] : [`${where}: undocumented body ${text.slice(0, 300)}`];
    }
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!mediaTypes.includes(contentType)) {
      return [
        `${where}: content type ${contentType || 'none'}, documented ${mediaTypes.join(', ')}`,
      ];
    }
    const schema = documented.content?.[contentType]?.schema;
    if (!schema) return [];
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [`${where}: body is not JSON: ${text.slice(0, 300)}`];
    }
    const validate = this.validatorFor(`${where} ${contentType}`, schema);
    if (validate(body)) return [];
    return [
      `${where}: body does not match the document: ${this.ajv.errorsText(validate.errors)}; body ${text.slice(0, 500)}`,
    ];
  }

  private validatorFor(key: string, schema: object): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      // Local refs (#/components/...) point into the document, registered under DOCUMENT_ID.
      const rooted = JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/', `"${DOCUMENT_ID}#/components/`),
      ) as object;
      validate = this.ajv.compile(rooted);
      this.validators.set(key, validate);
    }
    return validate;
  }
}
