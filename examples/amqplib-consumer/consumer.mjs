/* global process, console, Buffer, setTimeout, clearTimeout */
// A service that is not ours, written from docs/contracts/asyncapi.yaml alone: plain amqplib, no
// Nest, none of the platform's code. It prices a basket over RPC (catalog.v1.basket.price) and
// prints every orders.v1.* event it receives, one JSON line per fact on stdout.
//
//   AMQP_URL=amqp://guest:guest@localhost:5672/%2F node examples/amqplib-consumer/consumer.mjs \
//     --price <productId>:<quantity> [--price ...] [--queue amqplib-example.events]
//
// It runs until SIGINT or SIGTERM.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import amqp from 'amqplib';

// From the document: the topic exchange, the routing keys, direct reply-to.
const EXCHANGE = 'commerce';
const PRICE_BASKET = 'catalog.v1.basket.price';
const ORDER_EVENTS = 'orders.v1.*';
const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';
const RPC_TIMEOUT_MS = 10_000;

const { values } = parseArgs({
  options: {
    price: { type: 'string', multiple: true, default: [] },
    queue: { type: 'string', default: 'amqplib-example.events' },
  },
});
const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672/%2F';

const print = (fact) => console.log(JSON.stringify(fact));

/** `<productId>:<quantity>` → a basket line of the request schema. */
function basketLine(argument) {
  const [productId, quantity] = argument.split(':');
  return { productId, quantity: Number(quantity ?? 1) };
}

/**
 * One request, as the document describes it: body {pattern, data, id}, properties reply-to and
 * correlation-id, an expiration equal to our timeout; the reply carries the same correlation-id.
 */
function requester(channel) {
  const pending = new Map();
  const ready = channel.consume(
    DIRECT_REPLY_TO,
    (message) => {
      if (!message) return;
      const waiting = pending.get(message.properties.correlationId);
      if (!waiting) return;
      const body = JSON.parse(message.content.toString('utf8'));
      // A reply without `response` or `err` only closes the exchange: wait for the real one.
      if (!('response' in body) && !('err' in body)) return;
      pending.delete(message.properties.correlationId);
      waiting(body);
    },
    { noAck: true },
  );
  return async (pattern, data) => {
    await ready;
    const id = randomUUID();
    const reply = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`no reply to ${pattern} within ${RPC_TIMEOUT_MS} ms`));
      }, RPC_TIMEOUT_MS);
      pending.set(id, (body) => {
        clearTimeout(timer);
        resolve(body);
      });
    });
    channel.publish(EXCHANGE, pattern, Buffer.from(JSON.stringify({ pattern, data, id })), {
      replyTo: DIRECT_REPLY_TO,
      correlationId: id,
      contentType: 'application/json',
      expiration: String(RPC_TIMEOUT_MS),
      headers: { 'x-correlation-id': randomUUID() },
    });
    return reply;
  };
}

async function main() {
  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  await channel.assertExchange(EXCHANGE, 'topic', { durable: true });

  // Events: a durable queue of our own, bound by a wildcard, acked after our work is done.
  await channel.assertQueue(values.queue, { durable: true });
  await channel.bindQueue(values.queue, EXCHANGE, ORDER_EVENTS);
  const seen = new Set();
  await channel.consume(values.queue, (message) => {
    if (!message) return;
    const { data: envelope } = JSON.parse(message.content.toString('utf8'));
    // At least once: the envelope id is the idempotency key.
    if (!seen.has(envelope.id)) {
      seen.add(envelope.id);
      print({ kind: 'event', type: envelope.type, id: envelope.id, payload: envelope.payload });
    }
    channel.ack(message);
  });

  if (values.price.length > 0) {
    const request = requester(channel);
    const reply = await request(PRICE_BASKET, { items: values.price.map(basketLine) });
    if (reply.err) print({ kind: 'error', pattern: PRICE_BASKET, err: reply.err });
    else print({ kind: 'price', pattern: PRICE_BASKET, reply: reply.response });
  }
  print({ kind: 'ready', queue: values.queue });

  const stop = async () => {
    await connection.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
