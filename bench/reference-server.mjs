// A reference server for bench/run.mjs: the least code that answers what the app answers, so the
// app's throughput is read as a ratio of it, measured in the same run on the same core.
//   node bench/reference-server.mjs <kind> <port>
// kind: `node-http` or `fastify` answer REFERENCE_BODY (JSON) to every GET; `fastify-headers`
// too, with the app's answer headers (REFERENCE_HEADERS, JSON) and a fresh x-request-id, as the
// app sends them (its security headers alone cost bare node:http a third of its rate); `fastify-pg` answers
// GET /v1/products/:id with the product read from Postgres (DATABASE_URL, DATABASE_POOL_MAX) by
// the same kind of SELECT the app runs, shaped like the app's response; `fastify-pg-orders`
// answers POST /v1/orders by replaying the SQL of one order in one transaction
// (bench/orders-reference.mjs), every order for REFERENCE_CUSTOMER_ID.
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import Fastify from 'fastify';
import pg from 'pg';
import { registerOrderReplay } from './orders-reference.mjs';

const [kind, portArgument] = process.argv.slice(2);
const port = Number(portArgument);
const host = '127.0.0.1';

/** The app's pool size (DATABASE_POOL_MAX), ended when the server closes. */
function poolClosedWith(app) {
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DATABASE_POOL_MAX ?? 10),
  });
  app.addHook('onClose', () => pool.end());
  return pool;
}

async function start() {
  if (kind === 'node-http') {
    const body = process.env.REFERENCE_BODY ?? '{}';
    const server = createServer((request, response) => {
      response.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
    });
    server.listen(port, host);
    return () => new Promise((done) => server.close(done));
  }
  const app = Fastify({ logger: false });
  if (kind === 'fastify') {
    const body = JSON.parse(process.env.REFERENCE_BODY ?? '{}');
    app.get('/*', async () => body);
  } else if (kind === 'fastify-headers') {
    const body = JSON.parse(process.env.REFERENCE_BODY ?? '{}');
    const headers = JSON.parse(process.env.REFERENCE_HEADERS ?? '{}');
    app.get('/*', async (_request, reply) => {
      reply.headers(headers).header('x-request-id', randomUUID());
      return body;
    });
  } else if (kind === 'fastify-pg-orders') {
    registerOrderReplay(app, poolClosedWith(app), process.env.REFERENCE_CUSTOMER_ID);
    app.get('/health', async () => ({})); // for the harness to know it listens
  } else if (kind === 'fastify-pg') {
    const pool = poolClosedWith(app);
    app.get('/v1/products/:id', async (request, reply) => {
      const { rows } = await pool.query(
        `SELECT id, sku, name, description, price_amount, price_currency, stock, active, version,
                created_at, updated_at
           FROM catalog.products WHERE id = $1 LIMIT 1`,
        [request.params.id],
      );
      const row = rows[0];
      if (row === undefined || !row.active) return reply.code(404).send({ status: 404 });
      return {
        id: row.id,
        sku: row.sku,
        name: row.name,
        description: row.description,
        price: { amountMinor: Number(row.price_amount), currency: row.price_currency },
        stock: row.stock,
        active: row.active,
        version: row.version,
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
      };
    });
  } else {
    throw new Error(`unknown reference kind ${kind}`);
  }
  await app.listen({ port, host });
  return () => app.close();
}

const stop = await start();
process.stdout.write(`reference ${kind} listening on ${port}\n`);
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    void stop().then(() => process.exit(0));
  });
}
