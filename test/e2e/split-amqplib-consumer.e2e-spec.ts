import { ORDER_EVENTS } from '#lib/contracts';
import { REPO_ROOT } from '../../scripts/split-stack/split-stack.js';
import { createTestVhost, deleteTestVhost, rabbitmqUrl } from '../support/rabbitmq-vhost.js';
import { spawnProcess, type SpawnedProcess } from '../support/spawned-process.js';
import { eventually, type OrderBody, Shop } from './orders-shop.js';

// Runs in the e2e-split jest project only (the e2e project ignores test/e2e/split-*): the
// consumer of examples/amqplib-consumer, written from docs/contracts/asyncapi.yaml alone with plain
// amqplib, against the five apps over RabbitMQ while an order is placed through the gateway.

/** One JSON line the example printed. */
interface Fact {
  kind: 'ready' | 'price' | 'error' | 'event';
  type?: string;
  reply?: unknown;
  payload?: { orderId?: string };
}

/** What the example printed so far; fails at once, with its output, if it ended. */
function factsOf(consumer: SpawnedProcess): Fact[] {
  if (consumer.hasExited()) throw new Error(`the example ended early:\n${consumer.logs()}`);
  return consumer
    .logs()
    .split('\n')
    .flatMap((line) => {
      try {
        return line.startsWith('{') ? [JSON.parse(line) as Fact] : [];
      } catch {
        return []; // a line still being written
      }
    });
}

describe('a service written from the AsyncAPI document alone (examples/amqplib-consumer)', () => {
  let vhost: string;
  let shop: Shop;
  let consumer: SpawnedProcess | undefined;

  beforeAll(async () => {
    // The stack's broker is a virtual host of ours, so the example can be pointed at it.
    vhost = await createTestVhost();
    shop = await Shop.open({ RABBITMQ_URL: rabbitmqUrl(vhost) });
    if (!('stopApp' in shop.app)) throw new Error('this suite needs the split stack (e2e-split)');
  });

  afterAll(async () => {
    await consumer?.stop();
    await shop?.close();
    if (vhost) await deleteTestVhost(vhost);
  });

  it('prices a basket over RPC and prints the events of an order placed meanwhile', async () => {
    const product = await shop.createProduct(10, 1_250);
    const customer = await shop.registerCustomer('amqplib-example');
    consumer = spawnProcess(
      process.execPath,
      ['examples/amqplib-consumer/consumer.mjs', '--price', `${product.id}:2`],
      { PATH: process.env.PATH ?? '', AMQP_URL: rabbitmqUrl(vhost) },
      REPO_ROOT,
    );
    const running = consumer;
    const facts = async () => factsOf(running);

    await eventually(facts, (seen) => seen.some((fact) => fact.kind === 'ready'), {
      what: 'the example to be ready',
      timeoutMs: 30_000,
    });
    expect(factsOf(running).find((fact) => fact.kind !== 'ready' && fact.kind !== 'event')).toEqual(
      {
        kind: 'price',
        pattern: 'catalog.v1.basket.price',
        reply: {
          currency: 'EUR',
          lines: [
            {
              productId: product.id,
              sku: product.sku,
              name: 'End-to-end mug',
              unitPrice: 1_250,
              quantity: 2,
              lineTotal: 2_500,
            },
          ],
          total: 2_500,
          unknownProductIds: [],
          inactiveProductIds: [],
        },
      },
    );

    const placed = await shop.placeOrder(customer.token, [{ productId: product.id, quantity: 1 }]);
    expect(placed.status).toBe(201);
    const order = (await placed.json()) as OrderBody;
    const ofOrder = (seen: Fact[]) =>
      seen.filter((fact) => fact.kind === 'event' && fact.payload?.orderId === order.id);
    const events = await eventually(
      facts,
      (seen) => ofOrder(seen).some((fact) => fact.type === ORDER_EVENTS.paid),
      { what: `the example to print order ${order.id} paid`, timeoutMs: 30_000, app: shop.app },
    );

    expect(ofOrder(events).map((fact) => fact.type)).toEqual([
      ORDER_EVENTS.placed,
      ORDER_EVENTS.paid,
    ]);
    expect(ofOrder(events)[0]?.payload).toMatchObject({
      orderId: order.id,
      customerId: customer.id,
      currency: 'EUR',
      total: 1_250,
      lines: [{ productId: product.id, quantity: 1, unitPrice: 1_250 }],
    });
  });
});
