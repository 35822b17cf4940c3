import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { messagingTables, unionOf } from './messaging-tables.js';

/** What a fault suite did on purpose, which the books must show. */
export interface ReconciliationExpectations {
  /** The stock each product the suite created started with. */
  readonly initialStock: ReadonlyMap<string, number>;
  /** Dead letters the suite caused on purpose (poison messages); none otherwise. */
  readonly deadLetters?: number;
}

/** The books of one database, as an operator would total them after an incident. */
export interface ReconciliationFigures {
  orders: number;
  paid: number;
  cancelled: number;
  heldReservations: number;
  releasedReservations: number;
  payments: number;
  standingCharges: number;
  refundedCharges: number;
  outboxRows: number;
  unpublishedOutboxRows: number;
  deadLetters: number;
  pendingRetries: number;
  notificationsSent: number;
  notificationsByTemplate: Record<string, number>;
}

export interface Reconciliation {
  /** Every disagreement as a sentence; empty when the books agree. */
  readonly problems: string[];
  readonly figures: ReconciliationFigures;
}

const count = (value: string | number | null | undefined): number => Number(value ?? 0);

/**
 * Suite 9: after every fault suite, one reconciliation of the whole database the stack ran on.
 * Read with SQL straight from each context's tables:
 * - every order ended paid, shipped or cancelled;
 * - a paid order holds its reservation, a cancelled one released it, and no reservation is held
 *   for an order that does not exist (a half-placed order);
 * - each product's stock plus what held reservations take equals the stock it started with;
 * - a paid order has one succeeded payment, which it names, and exactly one standing charge; a
 *   cancelled order has none standing; no payment waits for a charge or a refund;
 * - every outbox row was published; no dead letter but those expected; no retry waiting;
 * - notifications: one "placed" per order, one "cancelled" per cancelled order, one "paid" per
 *   paid order (and at most one more per order cancelled after it was paid), one "refunded" per
 *   refunded charge, every one sent.
 */
export async function reconcile(
  database: pg.Pool,
  expected: ReconciliationExpectations,
): Promise<Reconciliation> {
  const problems: string[] = [];
  const tables = await messagingTables(database);

  const { rows: orders } = await database.query<{
    id: string;
    status: string;
    reserved: boolean;
    released: boolean;
    payments: string;
    settled: string;
    unsettled_payments: string;
    standing: string;
    refunded: string;
  }>(
    `SELECT o.id, o.status,
            r.order_id IS NOT NULL AS reserved,
            r.released_at IS NOT NULL AS released,
            (SELECT count(*) FROM payments.payments p WHERE p.order_id = o.id) AS payments,
            (SELECT count(*) FROM payments.payments p
              WHERE p.order_id = o.id AND p.status = 'succeeded' AND p.id = o.payment_id) AS settled,
            (SELECT count(*) FROM payments.payments p
              WHERE p.order_id = o.id AND p.status IN ('pending', 'refund_pending')) AS unsettled_payments,
            (SELECT count(*) FROM payments.simulated_provider_charges c
              WHERE c.reference = o.id::text AND c.outcome = 'succeeded' AND c.refund_id IS NULL) AS standing,
            (SELECT count(*) FROM payments.simulated_provider_charges c
              WHERE c.reference = o.id::text AND c.outcome = 'succeeded' AND c.refund_id IS NOT NULL) AS refunded
       FROM orders.orders o
       LEFT JOIN catalog.reservations r ON r.order_id = o.id`,
  );
  for (const order of orders) {
    const kept = order.status === 'paid' || order.status === 'shipped';
    if (!kept && order.status !== 'cancelled') {
      problems.push(`order ${order.id} is still ${order.status}`);
      continue;
    }
    if (kept && (!order.reserved || order.released)) {
      problems.push(`${order.status} order ${order.id} does not hold its reservation`);
    }
    if (!kept && order.reserved && !order.released) {
      problems.push(`cancelled order ${order.id} still holds its reservation`);
    }
    if (kept && (count(order.settled) !== 1 || count(order.standing) !== 1)) {
      problems.push(
        `${order.status} order ${order.id}: ${order.settled} succeeded payments it names, ${order.standing} standing charges`,
      );
    }
    if (!kept && count(order.standing) !== 0) {
      problems.push(`cancelled order ${order.id} has ${order.standing} charges left standing`);
    }
    if (count(order.unsettled_payments) !== 0) {
      problems.push(`order ${order.id} has a payment still waiting for a charge or refund`);
    }
  }

  const { rows: halfOrders } = await database.query<{ order_id: string }>(
    `SELECT r.order_id FROM catalog.reservations r
      WHERE r.released_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM orders.orders o WHERE o.id = r.order_id)`,
  );
  for (const { order_id } of halfOrders) {
    problems.push(`a reservation is held for ${order_id}, which is no order (a half order)`);
  }

  const { rows: held } = await database.query<{ product_id: string; held: string }>(
    `SELECT line->>'productId' AS product_id, sum((line->>'quantity')::int) AS held
       FROM catalog.reservations r, jsonb_array_elements(r.lines) AS line
      WHERE r.released_at IS NULL
      GROUP BY 1`,
  );
  const heldOf = new Map(held.map((row) => [row.product_id, count(row.held)]));
  const { rows: stock } = await database.query<{ id: string; stock: number }>(
    'SELECT id, stock FROM catalog.products WHERE id = ANY($1::uuid[])',
    [[...expected.initialStock.keys()]],
  );
  for (const { id, stock: left } of stock) {
    const initial = expected.initialStock.get(id) ?? 0;
    const taken = heldOf.get(id) ?? 0;
    if (left + taken !== initial) {
      problems.push(
        `product ${id}: ${left} in stock + ${taken} held, but it started with ${initial}`,
      );
    }
  }

  const [{ rows: outbox }, { rows: deadLetters }, { rows: retries }, { rows: notices }] =
    await Promise.all([
      database.query<{ rows: string; unpublished: string }>(
        `SELECT count(*) AS rows, count(*) FILTER (WHERE published_at IS NULL) AS unpublished
           FROM (${unionOf(tables.outbox, 'published_at')}) AS outbox`,
      ),
      database.query<{ consumer: string; type: string; reason: string }>(
        `SELECT consumer, type, reason FROM (${unionOf(tables.dead_letters, 'consumer, type, reason')}) AS dead`,
      ),
      database.query<{ pending: string }>(
        `SELECT count(*) AS pending FROM (${unionOf(tables.delivery_retries, 'id')}) AS retries`,
      ),
      database.query<{ template: string; status: string; total: string }>(
        `SELECT template, status, count(*) AS total FROM notifications.notifications GROUP BY 1, 2`,
      ),
    ]);
  const unpublished = count(outbox[0]?.unpublished);
  if (unpublished !== 0) problems.push(`${unpublished} outbox rows were never published`);
  const wantedDeadLetters = expected.deadLetters ?? 0;
  if (deadLetters.length !== wantedDeadLetters) {
    problems.push(
      `${deadLetters.length} dead letters, want ${wantedDeadLetters}: ${JSON.stringify(deadLetters.slice(0, 5))}`,
    );
  }
  const pendingRetries = count(retries[0]?.pending);
  if (pendingRetries !== 0) problems.push(`${pendingRetries} deliveries still wait for a retry`);

  const byTemplate: Record<string, number> = {};
  let sent = 0;
  for (const row of notices) {
    byTemplate[row.template] = (byTemplate[row.template] ?? 0) + count(row.total);
    if (row.status === 'sent') sent += count(row.total);
    else problems.push(`${row.total} "${row.template}" notifications are ${row.status}`);
  }
  const paid = orders.filter((o) => o.status === 'paid' || o.status === 'shipped').length;
  const cancelled = orders.filter((o) => o.status === 'cancelled').length;
  const refundedCharges = orders.reduce((sum, o) => sum + count(o.refunded), 0);
  const told = (template: string): number => byTemplate[template] ?? 0;
  if (told('order-placed') !== orders.length) {
    problems.push(
      `${told('order-placed')} "order-placed" notifications for ${orders.length} orders`,
    );
  }
  if (told('order-cancelled') !== cancelled) {
    problems.push(
      `${told('order-cancelled')} "order-cancelled" notifications for ${cancelled} cancelled orders`,
    );
  }
  if (told('order-paid') < paid || told('order-paid') > paid + cancelled) {
    problems.push(`${told('order-paid')} "order-paid" notifications for ${paid} paid orders`);
  }
  if (told('payment-refunded') !== refundedCharges) {
    problems.push(
      `${told('payment-refunded')} "payment-refunded" notifications for ${refundedCharges} refunds`,
    );
  }

  return {
    problems,
    figures: {
      orders: orders.length,
      paid,
      cancelled,
      heldReservations: orders.filter((o) => o.reserved && !o.released).length,
      releasedReservations: orders.filter((o) => o.released).length,
      payments: orders.reduce((sum, o) => sum + count(o.payments), 0),
      standingCharges: orders.reduce((sum, o) => sum + count(o.standing), 0),
      refundedCharges,
      outboxRows: count(outbox[0]?.rows),
      unpublishedOutboxRows: unpublished,
      deadLetters: deadLetters.length,
      pendingRetries,
      notificationsSent: sent,
      notificationsByTemplate: byTemplate,
    },
  };
}

/**
 * Reconciles until the books agree or the deadline passes (the saga settles asynchronously after
 * a fault is lifted), and returns the last reconciliation: the caller asserts `problems` is empty.
 */
export async function reconcileEventually(
  database: pg.Pool,
  expected: ReconciliationExpectations,
  timeoutMs = 120_000,
): Promise<Reconciliation> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await reconcile(database, expected);
    if (result.problems.length === 0 || Date.now() > deadline) return result;
    await sleep(500);
  }
}

/** The figures as a line of a RELIABILITY.md section. */
export const describeFigures = ({
  notificationsByTemplate,
  ...figures
}: ReconciliationFigures): string =>
  `${Object.entries(figures)
    .map(([name, value]) => `${name} ${value}`)
    .join(', ')}; notifications ${JSON.stringify(notificationsByTemplate)}`;
