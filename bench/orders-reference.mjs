// The reference for POST /v1/orders (`fastify-pg-orders` in reference-server.mjs): the SQL the
// monolith issues for one order, replayed by bare Fastify + pg in ONE transaction, with fresh
// parameters per request.
//
// Captured with `log_statement = 'all'` on a database of its own while the built monolith placed
// one order of two lines (2026-12-05, commit 5362253). The app ran, in this order:
//   1. INSERT INTO orders.idempotency_keys … ON CONFLICT … RETURNING order_id   (own commit: the claim)
//   2. START TRANSACTION (catalog, through the in-process transport; until 2026-12-06 followed by
//      SET TRANSACTION ISOLATION LEVEL READ COMMITTED, now the connection's default)
//   3. INSERT INTO catalog.reservations … ON CONFLICT DO NOTHING RETURNING order_id
//   4. UPDATE catalog.products SET stock = stock - $1 … per line, lines sorted by product id
//   5. SELECT the products by id (TypeORM's aliased column list); COMMIT
//      (since 2026-12-07, commit 37bff3d: 4 and 5 are one statement, WITH … UPDATE … FROM
//      unnest(ids, quantities) … RETURNING the products, their rows locked in id order first)
//   6. START TRANSACTION (orders; the same SET until 2026-12-06)
//   7. INSERT INTO orders.orders … RETURNING confirmation_attempts
//   8. INSERT INTO orders.order_lines, one multi-row statement
//   9. INSERT INTO orders.outbox … FROM unnest(…) (orders.v1.order-placed) and pg_notify(…) in one
//      statement (a data-modifying WITH; two statements until 2026-12-06). Since 2026-12-08 (ADR
//      0063) the app writes the row leased to its relay and sends no NOTIFY when the relay has a
//      free publish slot; under this load about half the orders find none. Replayed here as before.
//  10. UPDATE orders.idempotency_keys SET response … (the stored answer); COMMIT
// No SQL for the bearer token (verified from the JWT alone) nor for the rate limit (Redis).
//
// Replayed here: statements 1, 3, 4-5, 7, 8, 9 and 10 with the same text and the same kinds of
// parameters, so Postgres reads, locks and writes the same rows and indexes. What differs, and why
// it is still the same work for Postgres or is the app's own cost by design:
// - one BEGIN … COMMIT around everything, as issue 7 defines the reference; the app's three
//   commits (claim, catalog, orders) are round trips the app pays on top;
// - NOTIFY goes to a channel nobody listens on: on the app's channel it would wake the idle
//   monolith's outbox relay on the server core during the reference's rounds, and the app's own
//   rows are published by that relay while the reference's never are;
// - the outbox rows carry an owner no relay serves, and the harness deletes the reference's rows
//   between rounds (relays skip rows of another owner; thousands of them would slow the app's
//   relay polls) and its orders at the end;
// - one customer id per process, given by the harness (no token is verified: authentication is
//   the app's cost); the answer is the app's order view, serialised the same way.
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';

export const REFERENCE_OUTBOX_OWNER = 'bench-reference-orders';
const NOTIFY_CHANNEL = 'bench_reference_outbox';
const CONFLICT = 409;

// The statement texts are copied from the capture on purpose, not imported from the app: the
// reference must stay bare, and Postgres must parse and plan exactly what the app sends.
const CLAIM_KEY = `
  INSERT INTO orders.idempotency_keys AS k
    (customer_id, key, request_hash, order_id, created_at, expires_at)
  VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (customer_id, key) DO UPDATE SET
    request_hash = EXCLUDED.request_hash,
    order_id = EXCLUDED.order_id,
    created_at = EXCLUDED.created_at,
    expires_at = EXCLUDED.expires_at,
    response_status = NULL,
    response_body = NULL,
    completed_at = NULL,
    fenced_at = NULL
  WHERE k.completed_at IS NOT NULL AND k.expires_at <= EXCLUDED.created_at
  RETURNING order_id`;
const INSERT_RESERVATION = `INSERT INTO "catalog"."reservations"("order_id", "lines", "created_at", "released_at") VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING  RETURNING order_id`;
const PRODUCT_COLUMNS = `
  p.id, p.sku, p.name, p.description, p.price_amount AS "priceAmount",
  p.price_currency AS "priceCurrency", p.stock, p.active, p.version,
  p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;
const WITHDRAW_STOCK = `
  WITH line AS MATERIALIZED (
         SELECT * FROM unnest($1::uuid[], $2::integer[]) AS line(product_id, quantity)),
       locked AS MATERIALIZED (
         SELECT p.id FROM catalog.products p JOIN line ON line.product_id = p.id
          ORDER BY p.id FOR UPDATE OF p),
       withdrawn AS (
         UPDATE catalog.products p
            SET stock = p.stock - line.quantity, version = p.version + 1, updated_at = $3
           FROM line
          WHERE p.id = line.product_id AND p.id IN (SELECT id FROM locked)
            AND p.active AND p.stock >= line.quantity
         RETURNING ${PRODUCT_COLUMNS})
  SELECT * FROM withdrawn`;
const INSERT_ORDER = `INSERT INTO "orders"."orders"("id", "customer_id", "status", "currency", "total", "requested_items", "next_confirmation_at", "confirmation_attempts", "payment_id", "cancellation_reason", "version", "created_at", "updated_at") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING "confirmation_attempts"`;
const ORDER_LINE_COLUMNS = 7;
const insertOrderLines = (count) =>
  `INSERT INTO "orders"."order_lines"("order_id", "position", "product_id", "sku", "name", "unit_price", "quantity") VALUES ${Array.from(
    { length: count },
    (_, line) =>
      `(${Array.from({ length: ORDER_LINE_COLUMNS }, (_, column) => `$${line * ORDER_LINE_COLUMNS + column + 1}`).join(', ')})`,
  ).join(', ')}`;
const INSERT_OUTBOX_AND_NOTIFY = `
  WITH inserted AS (
    INSERT INTO "orders".outbox (id, type, payload, headers, owner)
    SELECT *, $5::text FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::jsonb[])
  )
  SELECT pg_notify($6, '')`;
const STORE_RESPONSE = `UPDATE "orders"."idempotency_keys" SET "response_status" = $1, "response_body" = $2, "completed_at" = now() WHERE "customer_id" = $3 AND "key" = $4 AND "order_id" = $5
           AND "completed_at" IS NULL AND "fenced_at" IS NULL`;

const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/** The requested items merged per product and sorted by id, as the catalog reserves them. */
function stockLines(items) {
  const merged = new Map();
  for (const { productId, quantity } of items) {
    merged.set(productId, (merged.get(productId) ?? 0) + quantity);
  }
  return [...merged]
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    .map(([productId, quantity]) => ({ productId, quantity }));
}

class OutOfStock extends Error {}

/**
 * Registers POST /v1/orders on a bare Fastify app, replaying the order's SQL through `pool`, every
 * order placed for `customerId`.
 */
export function registerOrderReplay(app, pool, customerId) {
  app.post('/v1/orders', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    const items = request.body.items;
    const lines = stockLines(items);
    const orderId = randomUUID();
    const now = new Date();
    const requestHash = createHash('sha256').update(JSON.stringify({ items })).digest('hex');
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(CLAIM_KEY, [
        customerId,
        key,
        requestHash,
        orderId,
        now,
        new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      ]);
      await client.query(INSERT_RESERVATION, [orderId, JSON.stringify(lines), now, null]);
      const { rows } = await client.query(WITHDRAW_STOCK, [
        lines.map((line) => line.productId),
        lines.map((line) => line.quantity),
        now,
      ]);
      const products = new Map(rows.map((row) => [row.id, row]));
      const short = lines.find((line) => !products.has(line.productId));
      if (short) throw new OutOfStock(short.productId);
      const orderLines = lines.map(({ productId, quantity }) => {
        const product = products.get(productId);
        const unitPrice = Number(product.priceAmount);
        return {
          productId,
          sku: product.sku,
          name: product.name,
          unitPrice,
          quantity,
          lineTotal: unitPrice * quantity,
        };
      });
      const currency = rows[0].priceCurrency;
      const total = orderLines.reduce((sum, line) => sum + line.lineTotal, 0);
      const requestedItems = JSON.stringify(lines);
      await client.query(INSERT_ORDER, [
        orderId,
        customerId,
        'pending_payment',
        currency,
        total,
        requestedItems,
        null,
        0,
        null,
        null,
        1,
        now,
        now,
      ]);
      await client.query(
        insertOrderLines(orderLines.length),
        orderLines.flatMap((line, position) => [
          orderId,
          position,
          line.productId,
          line.sku,
          line.name,
          line.unitPrice,
          line.quantity,
        ]),
      );
      const createdAt = now.toISOString();
      const placed = {
        lines: orderLines.map(({ productId, sku, name, unitPrice, quantity }) => ({
          sku,
          name,
          quantity,
          productId,
          unitPrice,
        })),
        total,
        orderId,
        currency,
        customerId,
      };
      await client.query(INSERT_OUTBOX_AND_NOTIFY, [
        [randomUUID()],
        ['orders.v1.order-placed'],
        [JSON.stringify(placed)],
        [JSON.stringify({ version: 1, occurredAt: createdAt, correlationId: randomUUID() })],
        REFERENCE_OUTBOX_OWNER,
        NOTIFY_CHANNEL,
      ]);
      const view = {
        id: orderId,
        customerId,
        status: 'pending_payment',
        currency,
        total,
        lines: orderLines,
        requestedItems: lines,
        paymentId: null,
        cancellationReason: null,
        version: 1,
        createdAt,
        updatedAt: createdAt,
      };
      await client.query(STORE_RESPONSE, [201, JSON.stringify(view), customerId, key, orderId]);
      await client.query('COMMIT');
      return reply.code(201).header('location', `/v1/orders/${orderId}`).send(view);
    } catch (error) {
      await client.query('ROLLBACK');
      if (error instanceof OutOfStock) {
        return reply.code(CONFLICT).send({ code: 'ORDERS.OUT_OF_STOCK', productId: error.message });
      }
      throw error;
    } finally {
      client.release();
    }
  });
}

/** Deletes the reference's outbox rows, which no relay publishes: between rounds. */
export async function removeReferenceOutboxRows(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('DELETE FROM orders.outbox WHERE owner = $1', [REFERENCE_OUTBOX_OWNER]);
  } finally {
    await client.end();
  }
}

/**
 * Deletes what the reference wrote for `customerId` (its orders, with their lines, their reservations,
 * its idempotency keys and outbox rows); the stock it took stays taken, as the app's does.
 */
export async function removeReferenceOrders(databaseUrl, customerId) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    const orders = `SELECT id FROM orders.orders WHERE customer_id = $1`;
    await client.query(`DELETE FROM catalog.reservations WHERE order_id IN (${orders})`, [
      customerId,
    ]);
    await client.query('DELETE FROM orders.orders WHERE customer_id = $1', [customerId]);
    await client.query('DELETE FROM orders.idempotency_keys WHERE customer_id = $1', [customerId]);
    await client.query('DELETE FROM orders.outbox WHERE owner = $1', [REFERENCE_OUTBOX_OWNER]);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}
