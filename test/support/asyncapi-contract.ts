import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { MessageProperties } from 'amqplib';
import { parse } from 'yaml';

// Both packages are CommonJS: under native ESM their default import is the exports object.
const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;

export const ASYNCAPI_DOCUMENT_FILE = fileURLToPath(
  new URL('../../docs/contracts/asyncapi.yaml', import.meta.url),
);

interface DocumentedMessage {
  headers: object;
  payload: object;
  'x-amqp-properties': object;
}

interface AsyncApiDocument {
  operations: Record<string, { 'x-error-codes'?: string[] }>;
  components: { messages: Record<string, DocumentedMessage> };
}

/** A message as amqplib delivers it. */
export interface ReceivedMessage {
  readonly content: Buffer;
  readonly properties: MessageProperties;
}

/** amqplib's camelCase properties under their AMQP 0-9-1 names, as the document lists them. */
const AMQP_NAMES: Partial<Record<keyof MessageProperties, string>> = {
  contentType: 'content-type',
  correlationId: 'correlation-id',
  replyTo: 'reply-to',
  expiration: 'expiration',
  messageId: 'message-id',
  timestamp: 'timestamp',
  type: 'type',
  appId: 'app-id',
  deliveryMode: 'delivery-mode',
};

/** The body as JSON, or as text when it is not JSON (the schema then decides whether that is fine). */
function bodyOf(received: ReceivedMessage): unknown {
  const text = received.content.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * docs/contracts/asyncapi.yaml as a test oracle: checks a message that crossed a real broker
 * against the schemas the document gives for its body, headers and AMQP properties.
 */
export class AsyncApiContract {
  private readonly document: AsyncApiDocument;
  private readonly ajv = new Ajv({ strict: false, allErrors: true });

  constructor(text = readFileSync(ASYNCAPI_DOCUMENT_FILE, 'utf8')) {
    this.document = parse(text) as AsyncApiDocument;
    addFormats(this.ajv);
  }

  /** The error codes the document lists for an operation. */
  errorCodes(operation: string): string[] {
    return this.document.operations[operation]?.['x-error-codes'] ?? [];
  }

  /** Every way `received` differs from the document's message `name`; empty when it conforms. */
  violations(name: string, received: ReceivedMessage): string[] {
    const message = this.document.components.messages[name];
    if (!message) return [`the document has no message ${name}`];
    const properties = Object.fromEntries(
      Object.entries(AMQP_NAMES).flatMap(([key, amqpName]) => {
        const value = received.properties[key as keyof MessageProperties] as unknown;
        return value === undefined ? [] : [[amqpName, value]];
      }),
    );
    return [
      ...this.check(`${name} body`, message.payload, bodyOf(received)),
      ...this.check(`${name} headers`, message.headers, received.properties.headers ?? {}),
      ...this.check(`${name} properties`, message['x-amqp-properties'], properties),
    ];
  }

  private check(subject: string, schema: object, value: unknown): string[] {
    const validate = this.ajv.compile(schema);
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (error) => `${subject}${error.instancePath} ${error.message ?? 'is invalid'}`,
    );
  }
}
