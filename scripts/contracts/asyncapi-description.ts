import { DEFAULT_RMQ_EXCHANGE, RMQ_HEADERS } from '#lib/messaging';

const EXCHANGE = DEFAULT_RMQ_EXCHANGE;

/**
 * The prose of the document: what a service in any language needs beyond the schemas. It states
 * what the RMQ transport (libs/messaging/src/transport/rmq) does; the wire test of the typed
 * client checks the two agree on a real broker.
 */
export const ASYNCAPI_DESCRIPTION = `\
Requests (RPC) the platform answers and events it publishes over RabbitMQ (AMQP 0-9-1), for
services that do not share its code. Generated from libs/contracts by \`npm run contracts:generate\`;
do not edit by hand.

## Topology

One durable **topic exchange \`${EXCHANGE}\`** carries every request and event; the routing key is
the pattern (\`catalog.v1.basket.price\`) or the event type (\`orders.v1.order-placed\`). Each
platform service consumes from its own durable queues (\`<service>.requests\`, \`<service>.events\`);
never consume from them yourself. Messages are JSON (\`content-type: application/json\`).

## Sending a request

1. Consume \`amq.rabbitmq.reply-to\` with no-ack on a channel (RabbitMQ direct reply-to), or use a
   queue of your own.
2. Publish on the same channel to exchange \`${EXCHANGE}\`, routing key = pattern, body
   \`{"pattern": "<pattern>", "data": <request>, "id": "<unique id>"}\`, properties
   \`reply-to\`, \`correlation-id\` (any unique string), \`content-type: application/json\`,
   \`expiration\` (your timeout in ms), and the optional headers \`${RMQ_HEADERS.correlationId}\`
   and \`${RMQ_HEADERS.traceparent}\`.
3. The reply arrives with the same \`correlation-id\` and body \`{"id", "response", "isDisposed": true}\`
   or \`{"id", "err": {"code", "message", "kind"?, "details"?}, "isDisposed": true}\`.

Example (\`catalog.v1.basket.price\`):

\`\`\`
publish exchange=${EXCHANGE} routing-key=catalog.v1.basket.price
  reply-to=amq.rabbitmq.reply-to correlation-id=7f3c… content-type=application/json expiration=5000
  {"pattern":"catalog.v1.basket.price","id":"7f3c…","data":{"items":[{"productId":"3f1c2a9e-…","quantity":2}]}}
reply correlation-id=7f3c…
  {"id":"7f3c…","isDisposed":true,"response":{"currency":"EUR","lines":[…],"total":2500,"unknownProductIds":[],"inactiveProductIds":[]}}
\`\`\`

A request is handled **at most once**: the platform acknowledges it on receipt and never hands it
to another replica. No reply within your timeout means the outcome is unknown; retry only the
requests each operation documents as idempotent (all catalog requests are: pricing is a read,
reserve and release are idempotent per \`orderId\`). A request nobody is bound to is dropped by the
exchange: publish with \`mandatory\` to have it returned at once, or treat it as a timeout.
Unknown fields in a request are refused with \`MESSAGING.VALIDATION_FAILED\`.

## Consuming events

Declare a durable queue of your own (named after your service), bind it to \`${EXCHANGE}\` with the
event types you want or a wildcard (\`orders.v1.*\`), consume with manual acknowledgements and ack
after your own work committed. The body is \`{"pattern": "<type>", "data": <envelope>}\`; the
envelope carries \`id\`, \`type\`, \`version\`, \`occurredAt\`, \`correlationId\`, optional
\`causationId\` and \`traceparent\`, and the event's \`payload\`.

Delivery is **at least once**: events are published after the producer's transaction committed
(transactional outbox), persistent, and confirmed by the broker; a relay retry or a redelivery
can repeat one. **Dedupe on the envelope \`id\`** (also the AMQP \`message-id\`), the idempotency
key of every event. Events of one order may arrive out of order across queues: use the state they
announce, not their arrival order. Ignore payload fields you do not know.

## Errors

An error reply's \`err.code\` is stable and documented per operation (\`x-error-codes\`; meanings in
the \`rpc.error\` message). \`MESSAGING.*\` codes come from the messaging layer, the others from
the service's domain. \`MESSAGING.TIMEOUT\` and \`MESSAGING.UNAVAILABLE\` are raised by callers
(our typed client), never sent.

## Versioning

Every pattern and event type carries its major version (\`v1\`). A published version is never
changed incompatibly: fields may be added (optional ones to requests), nothing is removed,
renamed, retyped, newly required or narrowed. A breaking change ships as \`v2\` beside \`v1\` until
every consumer moved (docs/adr/0033-message-contract-versioning.md); CI compares this document
with the snapshot of each published version in docs/contracts/snapshots/.
`;
