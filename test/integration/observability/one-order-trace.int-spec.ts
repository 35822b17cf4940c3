import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type OrderBody, Shop } from '../../e2e/orders-shop.js';
import { setE2eMode } from '../../support/e2e-mode.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../saga/throwaway-database.js';
import {
  type OtlpTraceReceiver,
  type ReceivedSpan,
  SPAN_KIND,
  startOtlpTraceReceiver,
} from './otlp-trace-receiver.js';

// Generous: five apps start on a busy 2-core machine, and spans leave them in batches.
const DEADLINE_MS = 90_000;

/** A span of `service` (its SERVICE_NAME ends with the app's name) that `matches`. */
const find = (
  spans: readonly ReceivedSpan[],
  app: string,
  matches: (span: ReceivedSpan) => boolean,
): ReceivedSpan | undefined =>
  spans.find((span) => span.service.endsWith(`-${app}`) && matches(span));

/**
 * One order's trace across the split deployment: the five built apps (each its own process, over
 * RabbitMQ, behind the NGINX gateway) export their spans to an in-memory OTLP receiver, and the
 * trace the client starts runs through the orders app's HTTP span, the catalog request, and the
 * payments and notifications handlers of the events that follow, outbox relay and all.
 */
describe('one order, one trace', () => {
  let receiver: OtlpTraceReceiver;
  let shop: Shop;
  let database: ThrowawayDatabase | undefined;

  beforeAll(async () => {
    setE2eMode('split');
    receiver = await startOtlpTraceReceiver();
    // Its own database: a relay of another suite's app must not carry this order's events away.
    database = await createThrowawayDatabase('trace');
    shop = await Shop.open(
      {
        DATABASE_URL: database.url,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
      { timeoutMs: DEADLINE_MS },
    );
  }, DEADLINE_MS * 2);

  afterAll(async () => {
    await shop?.close();
    await receiver?.close();
    await database?.drop();
  });

  it(
    'carries the trace id from the HTTP request through catalog, payments and notifications, up to the order-paid notification',
    async () => {
      const customer = await shop.registerCustomer('traced');
      const product = await shop.createProduct(3);
      const traceId = randomBytes(16).toString('hex');
      const response = await shop.request(customer.token, '/v1/orders', {
        method: 'POST',
        body: { items: [{ productId: product.id, quantity: 1 }] },
        headers: {
          'idempotency-key': `trace-${traceId}`,
          traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
        },
      });
      expect(response.status).toBe(201);
      const order = (await response.json()) as OrderBody;
      await shop.orderEventually(
        customer.token,
        order.id,
        (current) => current.status === 'paid',
        'the order to be paid',
      );

      const inTrace = (app: string, name?: string, kind?: number) => () =>
        find(
          receiver.spans,
          app,
          (span) =>
            span.traceId === traceId &&
            (name === undefined || span.name === name) &&
            (kind === undefined || span.kind === kind),
        );
      const expected = {
        'orders (HTTP)': inTrace('orders', undefined, SPAN_KIND.server),
        'catalog (RPC)': inTrace('catalog', 'process catalog.v1.basket.price-and-reserve'),
        'payments (event)': inTrace(
          'payments',
          'process orders.v1.order-placed',
          SPAN_KIND.consumer,
        ),
        'notifications (event)': inTrace(
          'notifications',
          'process orders.v1.order-placed',
          SPAN_KIND.consumer,
        ),
        // The payments worker charged later, outside any message, in the placement's trace: the
        // payment's success, the order's `order-paid` and its notification follow in it.
        'payments (worker charge)': inTrace('payments', 'payments.charge'),
        'orders (payment succeeded)': inTrace(
          'orders',
          'process payments.v1.payment-succeeded',
          SPAN_KIND.consumer,
        ),
        'notifications (order paid)': inTrace(
          'notifications',
          'process orders.v1.order-paid',
          SPAN_KIND.consumer,
        ),
      };
      const deadline = Date.now() + DEADLINE_MS;
      const missing = () =>
        Object.entries(expected)
          .filter(([, found]) => found() === undefined)
          .map(([what]) => what);
      while (missing().length > 0 && Date.now() < deadline) await sleep(250);

      expect(missing()).toEqual([]);
      // The catalog request was made inside the orders app's trace, not beside it.
      const catalogSpan = expected['catalog (RPC)']();
      const ordersSpanIds = new Set(
        receiver.spans
          .filter((span) => span.service.endsWith('-orders') && span.traceId === traceId)
          .map((span) => span.spanId),
      );
      expect(ordersSpanIds.has(catalogSpan?.parentSpanId ?? '')).toBe(true);
    },
    DEADLINE_MS * 2,
  );
});
