import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { SPLIT_APPS, type SplitApp } from '../../scripts/split-stack/split-stack.js';
import { eventually } from '../e2e/orders-shop.js';
import { createTestVhost, deleteTestVhost, rabbitmqUrl } from '../support/rabbitmq-vhost.js';
import { recordSuiteResult } from '../support/reliability-report.js';
import { messagingTables, unionOf } from '../support/reliability/messaging-tables.js';
import { describeFigures, reconcileEventually } from '../support/reliability/reconciliation.js';
import {
  openReliabilityShop,
  type ReliabilityShop,
  sized,
} from '../support/reliability/reliability-shop.js';

// Suite 6: poison and malformed messages published raw, by a client that is not ours, to every
// queue of every app. Events must be dead-lettered with their reason; requests must get an error
// reply; no app may crash or stop serving.

const run = promisify(execFile);
const OVERSIZED_BYTES = sized(2, 8) * 1024 * 1024;

interface Poison {
  readonly kind: string;
  /** The routing key the consumer sees. */
  readonly routingKey: string;
  readonly content: Buffer;
  readonly properties?: amqp.Options.Publish;
  /** What the dead letter's reason must say. */
  readonly reason: RegExp;
}

/** A well-formed envelope of `route`, so that only the one defect of each poison stands out. */
const envelope = (route: string, marker: string): Record<string, unknown> => ({
  id: randomUUID(),
  type: route,
  version: 1,
  occurredAt: new Date().toISOString(),
  correlationId: marker,
  payload: { marker },
});

function poisonsFor(route: string, marker: (kind: string) => string): Poison[] {
  const packet = (data: unknown): Buffer => Buffer.from(JSON.stringify({ pattern: route, data }));
  return [
    {
      kind: 'not JSON',
      routingKey: route,
      content: Buffer.from(`{ this is not JSON ${marker('not-json')}`),
      reason: /VALIDATION_FAILED: the message is not a JSON object/,
    },
    {
      kind: 'unknown pattern',
      routingKey: 'nobody.v1.listens-here',
      content: Buffer.from(
        JSON.stringify({
          pattern: 'nobody.v1.listens-here',
          data: envelope('nobody.v1.listens-here', marker('unknown')),
        }),
      ),
      reason: /NO_HANDLER: no subscriber here for "nobody\.v1\.listens-here"/,
    },
    {
      kind: 'wrong types',
      routingKey: route,
      content: packet({
        ...envelope(route, marker('wrong-types')),
        version: 'one',
        occurredAt: 42,
        payload: ['not', 'an', 'object'],
      }),
      reason: /VALIDATION_FAILED/,
    },
    {
      kind: 'oversized',
      routingKey: route,
      content: packet({
        ...envelope(route, marker('oversized')),
        payload: { marker: marker('oversized'), padding: 'x'.repeat(OVERSIZED_BYTES) },
      }),
      reason: /VALIDATION_FAILED/,
    },
    {
      kind: 'missing headers',
      routingKey: route,
      // No AMQP message id, correlation id or trace headers, and none in the envelope either.
      content: packet({ type: route, version: 1, payload: { marker: marker('no-headers') } }),
      properties: {},
      reason: /VALIDATION_FAILED/,
    },
  ];
}

describe('suite 6: poison and malformed messages on every queue', () => {
  let reliability: ReliabilityShop;
  let vhost: string;
  let connection: amqp.ChannelModel;
  const serviceName = `poison-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    vhost = await createTestVhost();
    reliability = await openReliabilityShop('poison', {
      RABBITMQ_URL: rabbitmqUrl(vhost),
      SERVICE_NAME: serviceName,
    });
    connection = await amqp.connect(rabbitmqUrl(vhost));
  });

  afterAll(async () => {
    await connection?.close();
    await reliability?.close();
    if (vhost) await deleteTestVhost(vhost);
  });

  /** The routes each app's events queue is bound to, as the broker has them. */
  async function boundRoutes(app: SplitApp): Promise<string[]> {
    const { stdout } = await run('rabbitmqctl', [
      ...['-q', 'list_bindings', '-p', vhost, '--no-table-headers'],
      ...['source_name', 'destination_name', 'routing_key'],
    ]);
    return stdout
      .split('\n')
      .map((line) => line.split('\t'))
      .filter(
        ([source, queue]) => source === 'commerce' && queue === `${serviceName}-${app}.events`,
      )
      .map(([, , route]) => route);
  }

  it('dead-letters every poison event with its reason, answers every poison request with an error, and nothing crashes', async () => {
    const { shop, stack, database } = reliability;
    const channel = await connection.createConfirmChannel();
    const sent: { app: SplitApp; kind: string; marker: string; reason: RegExp }[] = [];

    for (const app of SPLIT_APPS) {
      const queue = `${serviceName}-${app}.events`;
      // A fanout exchange of the test's, bound to this one queue: the message keeps the routing
      // key it is published with and reaches no other app.
      const exchange = `poison.${queue}`;
      await channel.assertExchange(exchange, 'fanout', { autoDelete: false });
      await channel.bindQueue(queue, exchange, '');
      const [route] = await boundRoutes(app);
      // An app that subscribes to nothing (identity) can only be sent garbage and strays.
      const poisons = poisonsFor(
        route ?? 'nobody.v1.subscribed',
        (kind) => `poison-${app}-${kind}-${randomUUID()}`,
      ).filter((poison) => route !== undefined || /not JSON|unknown/.test(poison.kind));
      for (const poison of poisons) {
        const marker = /poison-[\w-]+/.exec(poison.content.toString('utf8', 0, 4096))?.[0] ?? '';
        sent.push({ app, kind: poison.kind, marker, reason: poison.reason });
        channel.publish(exchange, poison.routingKey, poison.content, {
          persistent: true,
          ...(poison.properties ?? { messageId: randomUUID(), contentType: 'application/json' }),
        });
      }
    }
    await channel.waitForConfirms();

    // Requests: each app's request queue gets the same garbage, with a reply queue to answer to.
    const replies = await channel.assertQueue('', { exclusive: true });
    const answered = new Map<string, string>();
    await channel.consume(
      replies.queue,
      (message) => {
        if (message)
          answered.set(message.properties.correlationId as string, message.content.toString());
      },
      { noAck: true },
    );
    const requests: { app: SplitApp; kind: string; correlationId: string }[] = [];
    for (const app of SPLIT_APPS) {
      const queue = `${serviceName}-${app}.requests`;
      const bodies: [string, string][] = [
        ['not JSON', '{ not JSON'],
        ['no id', JSON.stringify({ pattern: 'x', data: {} })],
        [
          'unknown pattern',
          JSON.stringify({ id: randomUUID(), pattern: 'nobody.v1.asks', data: {} }),
        ],
        ['oversized', JSON.stringify({ id: randomUUID(), data: 'x'.repeat(OVERSIZED_BYTES) })],
      ];
      for (const [kind, body] of bodies) {
        const correlationId = randomUUID();
        requests.push({ app, kind, correlationId });
        channel.sendToQueue(queue, Buffer.from(body), { replyTo: replies.queue, correlationId });
      }
    }
    await channel.waitForConfirms();

    const replied = await eventually(
      async () => requests.filter((request) => answered.has(request.correlationId)).length,
      (count) => count === requests.length,
      { what: 'an error reply to every poison request', timeoutMs: 60_000, app: stack },
    );
    expect(replied).toBe(requests.length);
    for (const request of requests) {
      const reply = JSON.parse(answered.get(request.correlationId) ?? '{}') as {
        err?: { code?: string };
      };
      expect({ ...request, code: reply.err?.code }).toEqual({
        ...request,
        code: expect.stringMatching(/^MESSAGING\.(VALIDATION_FAILED|NO_HANDLER)$/),
      });
    }

    const tables = await messagingTables(database);
    const deadLetterOf = async (marker: string) =>
      (
        await database.query<{ consumer: string; reason: string }>(
          `SELECT consumer, reason FROM (${unionOf(tables.dead_letters, 'consumer, reason, envelope')}) AS dead
            WHERE strpos(envelope::text, $1) > 0`,
          [marker],
        )
      ).rows;
    const found = await eventually(
      () =>
        Promise.all(
          sent.map(async (poison) => ({ ...poison, letters: await deadLetterOf(poison.marker) })),
        ),
      (all) => all.every((poison) => poison.letters.length > 0),
      { what: 'a dead letter for every poison event', timeoutMs: 60_000, app: stack },
    );
    for (const poison of found) {
      const unexplained = poison.letters.filter((letter) => !poison.reason.test(letter.reason));
      expect({ app: poison.app, kind: poison.kind, unexplained }).toEqual({
        app: poison.app,
        kind: poison.kind,
        unexplained: [],
      });
    }

    // No app crashed, every one is still ready, and the saga still works end to end.
    for (const app of SPLIT_APPS) {
      const ready = await fetch(`${stack.urlOf(app)}/health/ready`);
      expect({ app, status: ready.status }).toEqual({ app, status: 200 });
    }
    const customer = await shop.registerCustomer('after-poison');
    const product = await shop.createProduct(3);
    const placed = await shop.placeOrder(customer.token, [{ productId: product.id, quantity: 1 }]);
    expect(placed.status).toBe(201);
    const order = (await placed.json()) as { id: string };
    await shop.orderEventually(customer.token, order.id, (o) => o.status === 'paid', 'paid');

    const deadLetters = found.reduce((sum, poison) => sum + poison.letters.length, 0);
    const books = await reconcileEventually(database, {
      initialStock: new Map([[product.id, 3]]),
      deadLetters,
    });
    expect(books.problems).toEqual([]);
    await channel.close();
    recordSuiteResult(
      'reliability-6',
      'Suite 6: poison and malformed messages',
      `Published raw (amqplib, not the apps' client) to the events queue of each of the 5 apps: ` +
        `${found
          .map((p) => p.kind)
          .filter((k, i, all) => all.indexOf(k) === i)
          .join(', ')} ` +
        `(oversized: ${OVERSIZED_BYTES / 1024 / 1024} MiB) — ${sent.length} messages, ` +
        `${deadLetters} dead letters, each with its reason; and to each request queue ` +
        `${requests.length} requests (not JSON, no id, unknown pattern, oversized), each answered ` +
        `with an error reply. No app crashed; all stayed ready; an order placed afterwards was paid. ` +
        `Reconciliation: ${describeFigures(books.figures)}.`,
    );
  });
});
