import {
  ERROR_CODE_DESCRIPTIONS,
  MESSAGING_ERROR_CODES,
  MessageEnvelopeSchema,
  messageNameVersion,
  PUBLISHED_EVENTS,
  PUBLISHED_REQUESTS,
  type PublishedEvent,
  type PublishedRequest,
  RpcErrorReply,
  ValidationFailedDetails,
} from '#lib/contracts';
import { DEFAULT_RMQ_EXCHANGE, RMQ_HEADERS, RmqTopology } from '#lib/messaging';
import { ASYNCAPI_DESCRIPTION } from './asyncapi-description.js';
import type { JsonSchema } from './message-json-schema.js';
import { MessageSchemas } from './message-schemas.js';

/** An AsyncAPI 3 document as plain JSON. */
export type AsyncApiDocument = Record<string, unknown> & {
  components: { messages: Record<string, AsyncApiMessage> };
};

export interface AsyncApiMessage {
  name: string;
  title: string;
  summary: string;
  contentType: string;
  headers: JsonSchema;
  payload: JsonSchema;
  [field: string]: unknown;
}

const AMQP_BINDING_VERSION = '0.3.0';
/** The direct reply-to pseudo-queue our clients use; any queue of the caller's works too. */
const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';
export const RPC_REPLIES_CHANNEL = 'rpc-replies';
export const RPC_ERROR_MESSAGE = 'rpc.error';
export const DEAD_LETTER_MESSAGE = 'dead-letter';
const DEAD_LETTERS_CHANNEL = 'dead-letters';

export const requestMessageName = (pattern: string): string => `${pattern}.request`;
export const replyMessageName = (pattern: string): string => `${pattern}.reply`;

const exchangeBinding = {
  amqp: {
    is: 'routingKey',
    exchange: {
      name: DEFAULT_RMQ_EXCHANGE,
      type: 'topic',
      durable: true,
      autoDelete: false,
      vhost: '/',
    },
    bindingVersion: AMQP_BINDING_VERSION,
  },
};

const TRACE_HEADERS: Record<string, JsonSchema> = {
  [RMQ_HEADERS.correlationId]: {
    type: 'string',
    maxLength: 128,
    description:
      'Shared by every request and event one user action set off. Send yours to join a chain, or a new UUID.',
  },
  [RMQ_HEADERS.traceparent]: {
    type: 'string',
    pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
    description: 'W3C trace context of the sender, so a trace continues across the hop.',
  },
};

const headersSchema = (description: string): JsonSchema => ({
  type: 'object',
  description,
  properties: TRACE_HEADERS,
});

/** AMQP basic properties (not headers), by their AMQP 0-9-1 names; amqplib spells them camelCase. */
const amqpProperties = (
  properties: Record<string, JsonSchema>,
  required: string[],
): JsonSchema => ({
  type: 'object',
  description: 'AMQP basic properties, by their AMQP 0-9-1 names (amqplib: replyTo, messageId...).',
  properties,
  required,
});

const CONTENT_TYPE: JsonSchema = { type: 'string', const: 'application/json' };
const PERSISTENT: JsonSchema = {
  type: 'integer',
  const: 2,
  description: 'Persistent: our producers always set it.',
};
const REQUEST_DELIVERY_MODE: JsonSchema = {
  type: 'integer',
  enum: [1, 2],
  description:
    'Either. Our clients send 1 (transient): a request is of no use once its caller stopped waiting, so it is not written to disk to outlive a broker restart.',
};

const REPLY_HEADERS: JsonSchema = { type: 'object', description: 'No headers are set on replies.' };
const REPLY_PROPERTIES = amqpProperties(
  { 'correlation-id': { type: 'string' }, 'content-type': CONTENT_TYPE },
  ['correlation-id'],
);

/** Nest's request frame around the payload, as the catalog's queue reads it. */
function requestFrame(pattern: string, data: JsonSchema): JsonSchema {
  return {
    type: 'object',
    description:
      "Nest's request frame. `id` is echoed in the reply's body: with the correlation-id property it matches a reply to its request.",
    required: ['pattern', 'data', 'id'],
    properties: {
      pattern: { type: 'string', const: pattern, description: 'The routing key again.' },
      data,
      id: { type: 'string', minLength: 1, description: 'Unique per request; any string.' },
      metadata: {
        type: 'object',
        description: 'Optional; our clients repeat the trace headers here.',
        properties: {
          correlationId: { type: 'string' },
          traceparent: { type: 'string' },
        },
      },
    },
  };
}

/** Nest's reply frame: `response` on success, `err` on failure, `isDisposed` on the last one. */
function replyFrame(field: 'response' | 'err', body: JsonSchema): JsonSchema {
  return {
    type: 'object',
    description:
      'One message per request: `response` or `err`, with `isDisposed: true`. Tolerate a separate closing `{ id, isDisposed: true }` after a `response` without it.',
    required: ['id', field],
    properties: {
      id: { type: 'string', description: "The request body's `id`." },
      [field]: body,
      isDisposed: { type: 'boolean', description: 'True on the last message for this request.' },
    },
  };
}

function requestMessage(
  schemas: MessageSchemas,
  pattern: string,
  published: PublishedRequest<object, object>,
): AsyncApiMessage {
  return {
    name: requestMessageName(pattern),
    title: `${pattern} request`,
    summary: published.summary,
    contentType: 'application/json',
    headers: headersSchema('AMQP headers table. Both optional.'),
    payload: requestFrame(pattern, schemas.of(published.request, { closed: true })),
    correlationId: {
      description:
        "The reply carries the request's AMQP correlation-id property and its body's `id`.",
      location: '$message.payload#/id',
    },
    bindings: { amqp: { messageType: pattern, bindingVersion: AMQP_BINDING_VERSION } },
    'x-amqp-properties': amqpProperties(
      {
        'reply-to': {
          type: 'string',
          description: `Where the reply goes: \`${DIRECT_REPLY_TO}\` (consume it with no-ack before publishing) or a queue of yours.`,
        },
        'correlation-id': {
          type: 'string',
          description: 'Copied into the reply; our clients use the body `id`.',
        },
        'content-type': CONTENT_TYPE,
        expiration: {
          type: 'string',
          pattern: '^[0-9]+$',
          description:
            'Milliseconds; set it to your timeout so a request nobody took in time is dropped rather than handled late (our clients: 30000).',
        },
        'message-id': { type: 'string', description: 'Optional; our clients send a UUID.' },
        type: { type: 'string', const: pattern, description: 'Optional: the pattern.' },
        'app-id': { type: 'string', description: 'Optional: the calling service.' },
        'delivery-mode': REQUEST_DELIVERY_MODE,
      },
      ['reply-to', 'correlation-id'],
    ),
  };
}

function replyMessage(
  schemas: MessageSchemas,
  pattern: string,
  published: PublishedRequest<object, object>,
): AsyncApiMessage {
  return {
    name: replyMessageName(pattern),
    title: `${pattern} reply`,
    summary: `The successful reply to ${pattern}.`,
    contentType: 'application/json',
    headers: REPLY_HEADERS,
    payload: replyFrame('response', schemas.of(published.reply, { closed: false })),
    correlationId: { location: '$message.payload#/id' },
    'x-amqp-properties': REPLY_PROPERTIES,
  };
}

function errorMessage(schemas: MessageSchemas): AsyncApiMessage {
  const err = schemas.of(RpcErrorReply, { closed: false });
  const codes = Object.keys(ERROR_CODE_DESCRIPTIONS).sort();
  return {
    name: RPC_ERROR_MESSAGE,
    title: 'Error reply',
    summary:
      'The reply to any request that failed. Branch on `err.code` (stable); `kind` groups codes (not_found, conflict, validation...) for callers that do not know a code.',
    contentType: 'application/json',
    headers: REPLY_HEADERS,
    payload: replyFrame('err', {
      ...err,
      properties: {
        ...err.properties,
        code: { ...err.properties?.code, examples: codes },
        details: {
          ...err.properties?.details,
          description: `Depends on \`code\`; ${MESSAGING_ERROR_CODES.VALIDATION_FAILED} carries the schema below.`,
          examples: [schemas.of(ValidationFailedDetails, { closed: false })],
        },
      },
    }),
    correlationId: { location: '$message.payload#/id' },
    'x-error-codes': Object.fromEntries(
      codes.map((code) => [
        code,
        ERROR_CODE_DESCRIPTIONS[code as keyof typeof ERROR_CODE_DESCRIPTIONS],
      ]),
    ),
    'x-amqp-properties': REPLY_PROPERTIES,
  };
}

function eventMessage(
  schemas: MessageSchemas,
  type: string,
  published: PublishedEvent<object>,
): AsyncApiMessage {
  const envelope = schemas.of(MessageEnvelopeSchema, { closed: false });
  return {
    name: type,
    title: type,
    summary: published.summary,
    contentType: 'application/json',
    headers: headersSchema('AMQP headers table, as the producer set it.'),
    payload: {
      type: 'object',
      description: "Nest's event frame: `data` is the envelope, `data.payload` the event itself.",
      required: ['pattern', 'data'],
      properties: {
        pattern: { type: 'string', const: type },
        data: {
          ...envelope,
          description:
            'The envelope. Dedupe on `id`: an event may arrive more than once. Ignore fields you do not know.',
          properties: {
            ...envelope.properties,
            type: { type: 'string', const: type },
            version: { type: 'integer', const: messageNameVersion(type) },
            payload: schemas.of(published.payload, { closed: false }),
          },
        },
        metadata: {
          type: 'object',
          description:
            'Repeats correlationId, messageId and traceparent; read the envelope instead.',
        },
      },
    },
    correlationId: { location: '$message.payload#/data/correlationId' },
    bindings: { amqp: { messageType: type, bindingVersion: AMQP_BINDING_VERSION } },
    'x-amqp-properties': amqpProperties(
      {
        'message-id': { type: 'string', format: 'uuid', description: "The envelope's `id`." },
        type: { type: 'string', const: type },
        'content-type': CONTENT_TYPE,
        'delivery-mode': PERSISTENT,
        'app-id': { type: 'string', description: 'The publishing service.' },
        timestamp: { type: 'integer', description: 'Seconds since the epoch, when it was sent.' },
      },
      ['message-id', 'type', 'content-type'],
    ),
  };
}

/** What an app parks in its dead-letter queue (libs/messaging's RmqServer.publishDeadLetter). */
function deadLetterMessage(): AsyncApiMessage {
  return {
    name: DEAD_LETTER_MESSAGE,
    title: 'Dead letter',
    summary:
      'An event a platform service gave up on (its delivery policy spent, or unreadable), kept for operators; it is also listed and replayed by `npm run messaging:dead-letters`.',
    contentType: 'application/json',
    headers: {
      type: 'object',
      required: [RMQ_HEADERS.reason, RMQ_HEADERS.attempts, RMQ_HEADERS.consumer],
      properties: {
        [RMQ_HEADERS.reason]: { type: 'string', description: 'Why it was given up, in one line.' },
        [RMQ_HEADERS.attempts]: { type: 'integer', minimum: 1, description: 'Deliveries tried.' },
        [RMQ_HEADERS.consumer]: { type: 'string', description: 'The handler that gave up.' },
      },
    },
    payload: {
      description:
        "The event's envelope as the consumer received it; for a message that could not be read, its text as it arrived.",
    },
    'x-amqp-properties': amqpProperties(
      {
        type: { type: 'string', description: 'The routing key it was published under.' },
        'message-id': { type: 'string', description: 'The envelope id, when it had one.' },
        'content-type': {
          type: 'string',
          enum: ['application/json', 'application/octet-stream'],
          description: 'application/octet-stream for a message that could not be read as JSON.',
        },
        'delivery-mode': PERSISTENT,
      },
      ['type'],
    ),
  };
}

/**
 * The AsyncAPI 3 document of every published request and event, built from libs/contracts
 * (PUBLISHED_REQUESTS, PUBLISHED_EVENTS, the classes they name and the error codes) and the wire
 * format of libs/messaging's RMQ transport. Deterministic: the same contracts give the same text.
 */
export function buildAsyncApiDocument(): AsyncApiDocument {
  const schemas = new MessageSchemas();
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, AsyncApiMessage> = {};
  const replyMessages: Record<string, unknown> = {};

  const requests = Object.entries(PUBLISHED_REQUESTS) as [
    string,
    PublishedRequest<object, object>,
  ][];
  for (const [pattern, published] of requests) {
    const request = requestMessage(schemas, pattern, published);
    const reply = replyMessage(schemas, pattern, published);
    messages[request.name] = request;
    messages[reply.name] = reply;
    replyMessages[reply.name] = { $ref: `#/components/messages/${reply.name}` };
    channels[pattern] = {
      address: pattern,
      title: pattern,
      description: `Publish to exchange \`${DEFAULT_RMQ_EXCHANGE}\` with routing key \`${pattern}\`; the ${published.service} service consumes it from its queue \`${new RmqTopology(DEFAULT_RMQ_EXCHANGE, published.service).requestQueue}\`.`,
      messages: { request: { $ref: `#/components/messages/${request.name}` } },
      bindings: exchangeBinding,
    };
    const errorCodes = [
      MESSAGING_ERROR_CODES.VALIDATION_FAILED,
      MESSAGING_ERROR_CODES.NO_HANDLER,
      MESSAGING_ERROR_CODES.INTERNAL,
      ...published.errors,
    ];
    operations[pattern] = {
      action: 'receive',
      channel: { $ref: `#/channels/${pattern}` },
      title: pattern,
      summary: published.summary,
      description: `Served by ${published.service}. ${published.idempotency} Error codes: ${errorCodes.map((code) => `\`${code}\``).join(', ')}.`,
      messages: [{ $ref: `#/channels/${pattern}/messages/request` }],
      reply: {
        address: {
          location: '$message.header#/reply-to',
          description:
            "The request's AMQP reply-to property (a property, not a header): the reply is sent there by the default exchange.",
        },
        channel: { $ref: `#/channels/${RPC_REPLIES_CHANNEL}` },
        messages: [
          { $ref: `#/channels/${RPC_REPLIES_CHANNEL}/messages/${reply.name}` },
          { $ref: `#/channels/${RPC_REPLIES_CHANNEL}/messages/${RPC_ERROR_MESSAGE}` },
        ],
      },
      bindings: { amqp: { ack: true, bindingVersion: AMQP_BINDING_VERSION } },
      'x-idempotency': published.idempotency,
      'x-error-codes': errorCodes,
    };
  }

  const error = errorMessage(schemas);
  messages[error.name] = error;
  channels[RPC_REPLIES_CHANNEL] = {
    address: null,
    title: 'RPC replies',
    description: `Replies, sent through the default exchange to the request's reply-to: \`${DIRECT_REPLY_TO}\` (RabbitMQ direct reply-to) or a queue of the caller's.`,
    messages: {
      ...replyMessages,
      [error.name]: { $ref: `#/components/messages/${error.name}` },
    },
    bindings: {
      amqp: {
        is: 'queue',
        queue: {
          name: DIRECT_REPLY_TO,
          durable: false,
          exclusive: true,
          autoDelete: true,
          vhost: '/',
        },
        bindingVersion: AMQP_BINDING_VERSION,
      },
    },
  };

  const events = Object.entries(PUBLISHED_EVENTS) as [string, PublishedEvent<object>][];
  for (const [type, published] of events) {
    const message = eventMessage(schemas, type, published);
    messages[message.name] = message;
    channels[type] = {
      address: type,
      title: type,
      description: `Published by ${published.producer} to exchange \`${DEFAULT_RMQ_EXCHANGE}\` with routing key \`${type}\`. Bind a durable queue of your own to it (or to a wildcard such as \`${type.replace(/\.[^.]+$/, '.*')}\`).`,
      messages: { event: { $ref: `#/components/messages/${message.name}` } },
      bindings: exchangeBinding,
    };
    operations[type] = {
      action: 'send',
      channel: { $ref: `#/channels/${type}` },
      title: type,
      summary: published.summary,
      description: `Published by ${published.producer} after its transaction committed (outbox), at least once.`,
      messages: [{ $ref: `#/channels/${type}/messages/event` }],
      bindings: {
        amqp: { deliveryMode: 2, mandatory: false, bindingVersion: AMQP_BINDING_VERSION },
      },
    };
  }

  const deadLetter = deadLetterMessage();
  messages[deadLetter.name] = deadLetter;
  const deadLetterTopology = new RmqTopology(DEFAULT_RMQ_EXCHANGE, '{service}');
  channels[DEAD_LETTERS_CHANNEL] = {
    address: '{service}',
    title: 'Dead letters',
    description: `Exchange \`${deadLetterTopology.deadLetterExchange}\` (direct), routing key = the service's name, into its durable queue \`${deadLetterTopology.deadLetterQueue}\`. For operators and their tools; other services need not read it.`,
    parameters: { service: { description: 'The SERVICE_NAME of the app that gave up.' } },
    messages: { deadLetter: { $ref: `#/components/messages/${deadLetter.name}` } },
    bindings: {
      amqp: {
        is: 'routingKey',
        exchange: {
          name: deadLetterTopology.deadLetterExchange,
          type: 'direct',
          durable: true,
          autoDelete: false,
          vhost: '/',
        },
        bindingVersion: AMQP_BINDING_VERSION,
      },
    },
  };
  operations[DEAD_LETTERS_CHANNEL] = {
    action: 'send',
    channel: { $ref: `#/channels/${DEAD_LETTERS_CHANNEL}` },
    title: 'Park a dead letter',
    summary: deadLetter.summary,
    messages: [{ $ref: `#/channels/${DEAD_LETTERS_CHANNEL}/messages/deadLetter` }],
    bindings: { amqp: { deliveryMode: 2, mandatory: false, bindingVersion: AMQP_BINDING_VERSION } },
  };

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Commerce Platform internal messages',
      version: '1.0.0',
      description: ASYNCAPI_DESCRIPTION,
    },
    defaultContentType: 'application/json',
    servers: {
      rabbitmq: {
        host: '{host}:{port}',
        pathname: '/{vhost}',
        protocol: 'amqp',
        protocolVersion: '0.9.1',
        description:
          'The RabbitMQ of the deployment; ask its operators for the host, virtual host and credentials.',
        variables: {
          host: { default: 'rabbitmq' },
          port: { default: '5672' },
          vhost: { default: '%2F', description: 'URL-encoded; %2F is the default vhost "/".' },
        },
      },
    },
    channels,
    operations,
    components: { messages },
  };
}
