// Order placed → paid → customer notified, in split mode over RabbitMQ (issue 7 target: 1,000
// orders at a fixed rate, p99 ≤ 500 ms, none lost). Starts the five apps and the gateway with
// `start-split.js` (as `npm run start:split` does) on a database and a RabbitMQ virtual host of
// this run's own, both removed at the end; places BENCH_SAGA_ORDERS orders through the gateway at
// BENCH_SAGA_RATE a second without waiting for answers, then reads from the apps' own tables when
// each order was placed, paid and its "payment received" notification sent.
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { START_SPLIT, UNLIMITED_GATEWAY } from './orders-split-stack.mjs';
import {
  appEnvironment,
  assertBuilt,
  DATABASE_URL,
  deadline,
  intSetting,
  killOnExit,
  machine,
  processTicks,
  REDIS_URL,
  round,
  ROOT,
  TICKS_PER_SECOND,
  trackApp,
  writeResults,
} from './support.mjs';

const ORDERS = intSetting('BENCH_SAGA_ORDERS', 1_000, 100_000);
const RATE = intSetting('BENCH_SAGA_RATE', 20, 1_000);
const SETTLE_TIMEOUT_MS = 180_000;
const TARGET_P99_MS = 500;
const APPS = ['identity', 'catalog', 'orders', 'payments', 'notifications'];

const rabbitmqctl = (...args) =>
  promisify(execFile)('rabbitmqctl', ['-q', ...args], { timeout: 30_000 });

assertBuilt();
const HOST = machine();
const suffix = randomUUID().slice(0, 8);
const vhost = `bench-saga-${suffix}`;
const databaseUrl = new URL(DATABASE_URL);
databaseUrl.pathname = `/commerce_bench_saga_${suffix}`;
const redisUrl = new URL(REDIS_URL);
redisUrl.pathname = `/${intSetting('BENCH_SAGA_REDIS_DB', 13, 15)}`;
const adminUrl = new URL(DATABASE_URL);
adminUrl.pathname = '/postgres';
// Away from the ephemeral range and from the ports the test suites pick.
const firstAppPort = 21_000 + Math.floor(Math.random() * 2_000) * 8;
const gatewayPort = firstAppPort + APPS.length;
const gateway = `http://127.0.0.1:${gatewayPort}`;

let stack;
/**
 * start-split and every process under it, SIGKILLed: killing start-split alone (a hard deadline,
 * an interrupted run) left its five apps running, orphaned.
 */
function killStackTree() {
  // Once start-split has ended its pid may be another process's: stopStack() took care of it.
  if (!stack?.running()) return;
  for (const pid of stackPids(processTable())) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // ended meanwhile
    }
  }
}
killOnExit(() => (stack ? [{ kill: killStackTree }] : []));
deadline((ORDERS / RATE) * 1000 + SETTLE_TIMEOUT_MS + 240_000, killStackTree);

async function call(path, { method = 'GET', token, json, form, headers = {} } = {}) {
  const sent = { ...headers };
  if (token) sent.authorization = `Bearer ${token}`;
  let body;
  if (json) {
    sent['content-type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) {
    body = new URLSearchParams(form);
  }
  const response = await fetch(`${gateway}${path}`, { method, headers: sent, body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function waitUntilReady() {
  for (let waited = 0; waited < 120_000; waited += 250) {
    if (!stack.running()) throw new Error(`the split stack exited:\n${stack.output()}`);
    const answers = await Promise.all(
      APPS.map((_, index) =>
        fetch(`http://127.0.0.1:${firstAppPort + index}/health/ready`)
          .then((response) => response.status)
          .catch(() => 0),
      ),
    );
    const gatewayUp = await fetch(`${gateway}/v1/products?limit=1`)
      .then((response) => response.status === 200)
      .catch(() => false);
    if (gatewayUp && answers.every((status) => status === 200)) return;
    await new Promise((wait) => setTimeout(wait, 250));
  }
  throw new Error(`the split stack was not ready within 120 s:\n${stack.output()}`);
}

/** A product with stock for every order, and a customer, through the API as a client would. */
async function seed(admin) {
  let adminToken;
  let reply;
  for (let attempt = 0; attempt < 50 && !adminToken; attempt++) {
    reply = await call('/v1/auth/token', {
      method: 'POST',
      form: { grant_type: 'password', username: admin.email, password: admin.password },
    });
    if (reply.status === 200) adminToken = reply.body.access_token;
    else await new Promise((wait) => setTimeout(wait, 200));
  }
  if (!adminToken) {
    throw new Error(`the bootstrap admin never got a token; last answer ${JSON.stringify(reply)}`);
  }
  const product = await call('/v1/products', {
    method: 'POST',
    token: adminToken,
    json: {
      sku: `SAGA-${suffix}`,
      name: 'Saga bench mug',
      description: 'Bought many times a second',
      price: { amountMinor: 1250, currency: 'EUR' },
      stock: ORDERS * 2,
    },
  });
  if (product.status !== 201) throw new Error(`POST /v1/products: ${JSON.stringify(product)}`);
  const customer = { email: `saga-${suffix}@example.test`, password: `Saga-${randomUUID()}` };
  const registered = await call('/v1/users', { method: 'POST', json: customer });
  if (registered.status !== 201) throw new Error(`POST /v1/users: ${JSON.stringify(registered)}`);
  const token = await call('/v1/auth/token', {
    method: 'POST',
    form: { grant_type: 'password', username: customer.email, password: customer.password },
  });
  if (token.status !== 200) throw new Error(`customer token: ${JSON.stringify(token)}`);
  return { productId: product.body.id, token: token.body.access_token };
}

/** Sends one order every 1/RATE s on a fixed schedule, not waiting for earlier answers. */
async function placeAtFixedRate({ productId, token }) {
  const answers = [];
  const started = performance.now();
  for (let index = 0; index < ORDERS; index++) {
    const due = started + (index * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((done) => setTimeout(done, wait));
    const sentAt = performance.now();
    answers.push(
      call('/v1/orders', {
        method: 'POST',
        token,
        headers: { 'idempotency-key': randomUUID() },
        json: { items: [{ productId, quantity: 1 }] },
      }).then((reply) => ({ ...reply, ms: performance.now() - sentAt })),
    );
  }
  const replies = await Promise.all(answers);
  return { replies, seconds: (performance.now() - started) / 1000 };
}

/** Per order: ms from placed (row created) to paid (its last change) and to the notification sent. */
const SAGA_TIMES = `
  SELECT o.id,
         extract(epoch FROM (o.updated_at - o.created_at)) * 1000 AS paid_ms,
         extract(epoch FROM (n.sent_at - o.created_at)) * 1000 AS notified_ms
    FROM orders.orders o
    LEFT JOIN notifications.notifications n
      ON n.template = 'order-paid' AND n.status = 'sent'
     AND substring(n.body FROM '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}')::uuid = o.id
   WHERE o.status = 'paid' AND o.id = ANY($1::uuid[])`;

/**
 * Where each order's time went, hop by hop, from the timestamps the apps write anyway (outbox
 * rows created, the payment opened, the provider's ledger, the order paid, the notification made
 * and sent). A handler's time is what its clock stamped on the row it wrote; an outbox row's
 * creation, that of the transaction that wrote it. Each stage is the time from the end of the one
 * before. An event's hop, from its row's commit to its consumer's write, is one stage (relay,
 * broker and consumer): the row's published_at cannot split it, being the mark, written after the
 * broker confirmed (and coalesced with other marks, ADR 0063), often after the consumer ran.
 */
const SAGA_STAGES = `
  SELECT o.id,
         extract(epoch FROM (opened.created_at - o.created_at)) * 1000 AS placed_to_payments,
         extract(epoch FROM (charge.created_at - opened.created_at)) * 1000 AS to_charge,
         extract(epoch FROM (succeeded.created_at - charge.created_at)) * 1000 AS charge_recorded,
         extract(epoch FROM (o.updated_at - succeeded.created_at)) * 1000 AS succeeded_to_orders,
         extract(epoch FROM (n.created_at - paid.created_at)) * 1000 AS paid_to_notifications,
         extract(epoch FROM (n.sent_at - n.created_at)) * 1000 AS delivery_job
    FROM orders.orders o
    JOIN payments.payments opened ON opened.order_id = o.id
    JOIN payments.simulated_provider_charges charge ON charge.reference = o.id::text
    JOIN payments.outbox succeeded
      ON succeeded.type = 'payments.v1.payment-succeeded'
     AND (succeeded.payload->>'orderId')::uuid = o.id
    JOIN orders.outbox paid
      ON paid.type = 'orders.v1.order-paid' AND (paid.payload->>'orderId')::uuid = o.id
    JOIN notifications.notifications n ON n.event_id = paid.id AND n.template = 'order-paid'
   WHERE o.id = ANY($1::uuid[])`;
const STAGES = [
  'placed_to_payments',
  'to_charge',
  'charge_recorded',
  'succeeded_to_orders',
  'paid_to_notifications',
  'delivery_job',
];

/** Per stage p50 / p99 / max, and the stages of the slowest orders (by placed → notified). */
async function stageBreakdown(orderIds, notifiedMs) {
  const { rows } = await database.query(SAGA_STAGES, [orderIds]);
  const stages = Object.fromEntries(
    STAGES.map((stage) => [stage, summary(rows.map((row) => Number(row[stage])))]),
  );
  const slowest = [...rows]
    .sort((a, b) => (notifiedMs.get(b.id) ?? 0) - (notifiedMs.get(a.id) ?? 0))
    .slice(0, 5)
    .map((row) => ({
      notifiedMs: round(notifiedMs.get(row.id) ?? NaN),
      ...Object.fromEntries(STAGES.map((stage) => [stage, round(Number(row[stage]))])),
    }));
  return { orders: rows.length, stages, slowest };
}

/** The stage breakdown, on statistics that count the rows the saga wrote while it settled. */
async function analysedStageBreakdown(orderIds, notifiedMs) {
  await database.query('ANALYZE');
  return stageBreakdown(orderIds, notifiedMs);
}

/** Every process now running, with its parent and CPU ticks so far. */
function processTable() {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const parent = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
        const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return { pid, parent, command, ...processTicks(pid) };
      } catch {
        return undefined; // ended meanwhile
      }
    })
    .filter((entry) => entry !== undefined);
}

/** The pids of `start-split` and everything under it (apps, migrations, the gateway). */
function stackPids(processes) {
  const ours = new Set([String(stack.pid)]);
  for (let grew = true; grew;) {
    grew = false;
    for (const { pid, parent } of processes) {
      if (!ours.has(pid) && ours.has(parent)) grew = ours.add(pid) !== undefined;
    }
  }
  return ours;
}

/**
 * CPU seconds used so far per part of this run's stack (each app and the gateway: processes
 * under start-split) and by RabbitMQ and PostgreSQL (shared: other users included).
 */
function cpuByPart() {
  const processes = processTable();
  const ours = stackPids(processes);
  const parts = {};
  for (const { pid, name, command, ticks } of processes) {
    const app = /apps\/(\w+)\/src\/main\.js/.exec(command)?.[1];
    const part = ours.has(pid)
      ? (app ?? (name === 'nginx' ? 'gateway' : undefined))
      : name === 'beam.smp'
        ? 'rabbitmq'
        : name === 'postgres'
          ? 'postgres'
          : undefined;
    if (part) parts[part] = (parts[part] ?? 0) + ticks / TICKS_PER_SECOND;
  }
  return parts;
}

/**
 * Stops the stack as Ctrl-C would, then kills whatever of it is left: start-split killed after
 * its grace would leave its apps running, orphaned, on a machine shared with others.
 */
async function stopStack() {
  const before = processTable();
  const ours = stackPids(before);
  const started = new Map(
    before.filter(({ pid }) => ours.has(pid)).map(({ pid, command }) => [pid, command]),
  );
  stack.child.kill('SIGTERM');
  await Promise.race([stack.exited, new Promise((wait) => setTimeout(wait, 20_000))]);
  stack.kill();
  // Same pid and command line: still ours, not a new process that reused the pid.
  for (const { pid, command } of processTable()) {
    if (started.get(pid) !== command) continue;
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // ended meanwhile
    }
  }
}

const percentile = (sorted, share) =>
  sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: round(percentile(sorted, 0.5)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted.at(-1) ?? NaN),
  };
};

await rabbitmqctl('add_vhost', vhost);
await rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
const database = new pg.Pool({ connectionString: databaseUrl.toString(), max: 2 });
try {
  const admin = { email: `saga-admin-${suffix}@example.test`, password: randomUUID() };
  const logFile = join(tmpdir(), `bench-saga-${suffix}.log`);
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [START_SPLIT], {
    cwd: ROOT,
    stdio: ['ignore', fd, fd],
    env: appEnvironment(0, {
      DATABASE_URL: databaseUrl.toString(),
      RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:5672/${vhost}`,
      SPLIT_GATEWAY_PORT: String(gatewayPort),
      SPLIT_FIRST_APP_PORT: String(firstAppPort),
      // start-split names the apps after themselves: on the Redis database everyone uses, this
      // run would share Bull queues and login counters with every other split stack.
      REDIS_URL: redisUrl.toString(),
      THROTTLE_LIMIT: '100000000',
      LOGIN_THROTTLE_LIMIT_PER_IP: '100000000',
      LOGIN_THROTTLE_LIMIT_PER_ACCOUNT: '100000000',
      ...UNLIMITED_GATEWAY,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
    }),
  });
  closeSync(fd);
  stack = trackApp(child, gatewayPort, performance.now(), () =>
    readFileSync(logFile, 'utf8').slice(-10_000),
  );
  await waitUntilReady();
  const seeded = await seed(admin);
  const cpuBefore = cpuByPart();
  const startedAt = performance.now();
  const { replies, seconds } = await placeAtFixedRate(seeded);
  const placedIds = replies.filter((reply) => reply.status === 201).map((reply) => reply.body.id);
  const refused = replies.filter((reply) => reply.status !== 201);

  // The tables were created empty for this run and have not been analysed since: without
  // statistics, Postgres joins a thousand orders to their notifications by a nested loop that
  // runs the body's regular expression a million times (9 s per poll at 1,000 orders).
  await database.query('ANALYZE');
  let rows = [];
  const settleBy = performance.now() + SETTLE_TIMEOUT_MS;
  while (performance.now() < settleBy) {
    ({ rows } = await database.query(SAGA_TIMES, [placedIds]));
    if (rows.length === placedIds.length && rows.every((row) => row.notified_ms !== null)) break;
    await new Promise((wait) => setTimeout(wait, 1_000));
  }
  const notified = rows.filter((row) => row.notified_ms !== null);
  // Average cores each part used from the first order until everything settled (other users of
  // the shared RabbitMQ and PostgreSQL included): the busiest part is what limits the rate.
  const elapsed = (performance.now() - startedAt) / 1000;
  const cpuAfter = cpuByPart();
  const coresUsed = Object.fromEntries(
    Object.entries(cpuAfter)
      .map(([part, seconds]) => [part, round((seconds - (cpuBefore[part] ?? 0)) / elapsed, 2)])
      .sort((a, b) => b[1] - a[1]),
  );
  const report = {
    date: new Date().toISOString(),
    machine: { ...HOST, loadAverageAtEnd: machine().loadAverage },
    settings: { orders: ORDERS, ratePerSecond: RATE, sendingSeconds: round(seconds, 1) },
    placed: placedIds.length,
    refused: refused.length,
    refusedStatuses: [...new Set(refused.map((reply) => reply.status))],
    paid: rows.length,
    notified: notified.length,
    lost: placedIds.length - notified.length,
    postOrderMs: summary(replies.map((reply) => reply.ms)),
    placedToPaidMs: summary(rows.map((row) => Number(row.paid_ms))),
    placedToNotifiedMs: summary(notified.map((row) => Number(row.notified_ms))),
    coresUsed,
    stagesMs: await analysedStageBreakdown(
      notified.map((row) => row.id),
      new Map(notified.map((row) => [row.id, Number(row.notified_ms)])),
    ),
    targetP99Ms: TARGET_P99_MS,
  };
  report.met = report.lost === 0 && report.placedToNotifiedMs.p99 <= TARGET_P99_MS;
  console.log(JSON.stringify(report, null, 2));
  console.log(`results: ${await writeResults('saga-latency', report)}`);
} finally {
  await database.end();
  if (stack?.running()) await stopStack();
  await rabbitmqctl('delete_vhost', vhost).catch(() => undefined);
  await promisify(execFile)('redis-cli', ['-u', redisUrl.toString(), 'FLUSHDB']).catch(
    () => undefined,
  );
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${databaseUrl.pathname.slice(1)}" WITH (FORCE)`);
  await admin.end();
}
