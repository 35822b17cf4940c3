// The order load of `npm run bench` (issue 7's POST /v1/orders rows): customers who hold a bearer
// token, and a stream of requests each of which is a distinct valid order (a fresh
// Idempotency-Key, 1-3 lines over distinct random products of the demo catalog, 1-3 units each).
// Plain Node, shared by the monolith, the split stack and the SQL replay reference.
import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** Customers per system: orders take no lock per customer, so a few stand for many. */
export const ORDER_CUSTOMERS = 8;
const MAX_LINES_PER_ORDER = 3;
const MAX_UNITS_PER_LINE = 3;
/** What db:seed gives every demo product; stock is put back to it when a run could run short. */
const SEEDED_STOCK = 1_000_000;
/** Far more than one run takes from any product (a few hundred units at most). */
const LOW_STOCK = 100_000;

/**
 * The ids of the first `products` demo products (DEMO-000001 …). db:seed derives each id from its
 * number, so every database seeded with as many products holds the same ids: one request list
 * fits the monolith, the split stack and the reference alike.
 */
export async function demoProductIds(databaseUrl, products) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT id FROM catalog.products WHERE sku LIKE 'DEMO-%' AND active ORDER BY sku LIMIT $1`,
      [products],
    );
    return rows.map((row) => row.id);
  } finally {
    await client.end();
  }
}

/**
 * Gives every demo product its seeded stock back if any ran low, so that no order of a run is
 * refused for stock (each run takes a few hundred units of a product at most). Run while no app
 * uses the database: it writes the rows directly, as db:seed does, and the cache of a later app
 * start holds no product read before.
 */
export async function restoreDemoStock(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT min(stock) AS lowest FROM catalog.products WHERE sku LIKE 'DEMO-%'`,
    );
    if (Number(rows[0].lowest) >= LOW_STOCK) return 0;
    const restored = await client.query(
      `UPDATE catalog.products SET stock = $1 WHERE sku LIKE 'DEMO-%' AND stock < $1`,
      [SEEDED_STOCK],
    );
    return restored.rowCount;
  } finally {
    await client.end();
  }
}

/**
 * Registers ORDER_CUSTOMERS customers through the API and signs each in (password grant), as a
 * storefront would; returns their ids and access tokens. `baseUrl` is the monolith or the gateway.
 */
export async function registerCustomers(baseUrl, label) {
  const customers = [];
  for (let index = 0; index < ORDER_CUSTOMERS; index++) {
    const credentials = {
      email: `bench-${label}-${randomUUID().slice(0, 8)}@example.test`,
      password: `Bench-${randomUUID()}`,
    };
    const registered = await fetch(`${baseUrl}/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credentials),
    });
    const user = await registered.json();
    if (registered.status !== 201) throw new Error(`POST /v1/users: ${JSON.stringify(user)}`);
    const token = await fetch(`${baseUrl}/v1/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        username: credentials.email,
        password: credentials.password,
      }),
    });
    const granted = await token.json();
    if (token.status !== 200) throw new Error(`POST /v1/auth/token: ${JSON.stringify(granted)}`);
    customers.push({ id: user.id, token: granted.access_token });
  }
  return customers;
}

const pick = (count) => 1 + Math.floor(Math.random() * count);

/** One order's body: 1-3 lines over distinct random products, 1-3 units each. */
export function randomOrder(productIds) {
  const lines = new Map();
  const wanted = pick(MAX_LINES_PER_ORDER);
  while (lines.size < wanted) {
    lines.set(productIds[pick(productIds.length) - 1], pick(MAX_UNITS_PER_LINE));
  }
  return { items: [...lines].map(([productId, quantity]) => ({ productId, quantity })) };
}

/**
 * autocannon's request list for the order load: every request a new order of a random customer,
 * under a fresh Idempotency-Key (built on the load generator's core, never the server's).
 */
export function orderRequests(customers, productIds) {
  return [
    {
      method: 'POST',
      path: '/v1/orders',
      setupRequest: (request) => {
        const customer = customers[pick(customers.length) - 1];
        return {
          ...request,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${customer.token}`,
            'idempotency-key': randomUUID(),
          },
          body: JSON.stringify(randomOrder(productIds)),
        };
      },
    },
  ];
}

/** Places one order and checks the answer is a new order priced over its lines. */
export async function placeOneOrder(baseUrl, customer, productIds) {
  const order = randomOrder(productIds);
  const response = await fetch(`${baseUrl}/v1/orders`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${customer.token}`,
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(order),
  });
  const body = await response.json();
  if (response.status !== 201 || body.lines?.length !== order.items.length || !(body.total > 0)) {
    throw new Error(
      `${baseUrl} POST /v1/orders answered ${response.status}: ${JSON.stringify(body)}`,
    );
  }
  return body;
}

const CONTEXTS = ['identity', 'catalog', 'orders', 'payments', 'notifications'];

/**
 * Per order of the customers: not yet paid; and, saga-wide, events of this system not yet
 * published (every context's outbox; rows of an owner that is not running, such as the reference
 * or an app stopped mid-way by an earlier run, are never published) and notifications not yet sent
 * to them.
 */
const SAGA_BACKLOG = `
  SELECT (SELECT count(*)::int FROM orders.orders
           WHERE customer_id = ANY($1::uuid[]) AND status = 'pending_payment') AS unpaid,
         (SELECT count(*)::int FROM orders.orders
           WHERE customer_id = ANY($1::uuid[]) AND status = 'paid') AS paid,
         (${CONTEXTS.map(
           (context) =>
             `(SELECT count(*) FROM ${context}.outbox WHERE published_at IS NULL AND ($2::text IS NULL OR owner = $2))`,
         ).join(' + ')})::int AS unpublished,
         (SELECT count(*)::int FROM notifications.notifications
           WHERE customer_id = ANY($1::uuid[]) AND status = 'queued') AS unsent`;

/**
 * Vacuums (and analyses) the whole database, between rounds while no load runs. Production runs
 * autovacuum; a CI machine's Postgres may not (this project's CI turns it off). Without it the
 * published outbox rows of round after round stay behind as dead index entries that every relay
 * claim walks: 340k of them made each claim take 245 ms and the saga fall a minute behind, which
 * measured the missing vacuum, not the app. Tables no round touched are skipped almost at once.
 */
export async function vacuumDatabase(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE)');
  } finally {
    await client.end();
  }
}

/**
 * Waits until the saga behind the customers' orders has settled (every order paid, every event
 * published, every notification sent), so that one system's backlog never runs during the next
 * system's round. `outboxOwner`: the SERVICE_NAME of the app whose events count (the monolith
 * in a shared database), or undefined when every row is the system's own (the split stack's
 * database). Returns how long it took and the backlog left at the end (`timeoutMs` reached).
 */
export async function drainSaga(databaseUrl, customers, timeoutMs, outboxOwner) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const started = performance.now();
  try {
    for (;;) {
      const { rows } = await client.query(SAGA_BACKLOG, [
        customers.map((customer) => customer.id),
        outboxOwner,
      ]);
      const { unpaid, paid, unpublished, unsent } = rows[0];
      const waitedMs = performance.now() - started;
      const waiting = unpaid + unpublished + unsent;
      if (waiting === 0 || waitedMs >= timeoutMs) return { waitedMs, waiting, paid };
      await new Promise((wait) => setTimeout(wait, 250));
    }
  } finally {
    await client.end();
  }
}
