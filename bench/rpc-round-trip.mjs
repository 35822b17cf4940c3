// RPC round trip over our RMQ transport against a bare amqplib request/reply (issue 7 target:
// sequential, p50 ≤ 1.5 ms, p99 ≤ 5 ms, ≤ 1.5 × bare amqplib). Both servers run at once, each in a
// process of its own pinned to core 0 (this client on core 1) on a RabbitMQ virtual host of this
// run's own, deleted at the end. Rounds alternate (ours, bare; bare, ours; ...) so a machine
// getting busier slows both sides; the ratio is taken per round, then its median.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { Buffer } from 'node:buffer';
import amqp from 'amqplib';
import { MessagingClient, RmqTransport } from '#lib/messaging';
import {
  assertBuilt,
  deadline,
  intSetting,
  killOnExit,
  machine,
  median,
  round,
  ROOT,
  trackApp,
  writeResults,
} from './support.mjs';

const ROUNDS = intSetting('BENCH_ROUNDS', 5, 50);
const REQUESTS = intSetting('BENCH_RPC_REQUESTS', 2_000, 100_000);
const WARMUP = intSetting('BENCH_RPC_WARMUP', 500, 100_000);
const PATTERN = 'bench.v1.price';
const BARE_QUEUE = 'bench-bare.requests';
const TARGET = { p50Ms: 1.5, p99Ms: 5, ratio: 1.5 };
const BROKER = process.env.BENCH_RABBITMQ_HOST ?? '127.0.0.1:5672';

const rabbitmqctl = (...args) =>
  promisify(execFile)('rabbitmqctl', ['-q', ...args], { timeout: 30_000 });

assertBuilt();
const HOST = machine();
const vhost = `bench-rpc-${randomUUID().slice(0, 8)}`;
const url = `amqp://guest:guest@${BROKER}/${vhost}`;
const servers = [];
killOnExit(() => servers);
deadline((ROUNDS * 2 * (REQUESTS / 100) + 120) * 1000, () => servers.forEach((s) => s.kill()));

const pinning = (() => {
  if (HOST.nproc < 2) return false;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Spawns one server; resolves once it prints "ready" (it consumes from its queue). */
async function startServer(mode) {
  const args = ['bench/rpc-echo-server.mjs', mode, url, PATTERN, BARE_QUEUE];
  const child = pinning
    ? spawn('taskset', ['-c', '0', process.execPath, ...args], { cwd: ROOT })
    : spawn(process.execPath, args, { cwd: ROOT });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const server = trackApp(child, 0, performance.now(), () => output.slice(-5_000));
  servers.push(server);
  for (let waited = 0; !output.includes('ready'); waited += 20) {
    if (!server.running() || waited > 30_000) {
      throw new Error(`the ${mode} server did not start:\n${server.output()}`);
    }
    await new Promise((wait) => setTimeout(wait, 20));
  }
  return server;
}

/** The client the contexts use (MessagingClient over RmqTransport's client): timeout and errors. */
async function ourClient() {
  const transport = new RmqTransport(undefined, undefined, { url, serviceName: 'bench-client' });
  const client = new MessagingClient(transport.createClient(), { rpcTimeoutMs: 5_000 });
  await client.connect();
  return {
    call: (request) => client.send(PATTERN, request),
    close: () => transport.onApplicationShutdown(),
  };
}

/** A bare request/reply: direct reply-to, one pending request matched by correlation id. */
async function bareClient() {
  const connection = await amqp.connect(url, { noDelay: true });
  const channel = await connection.createChannel();
  const pending = new Map();
  await channel.consume(
    'amq.rabbitmq.reply-to',
    (message) => {
      const id = message.properties.correlationId;
      pending.get(id)?.(JSON.parse(message.content.toString()));
      pending.delete(id);
    },
    { noAck: true },
  );
  return {
    call: (request) =>
      new Promise((resolve) => {
        const correlationId = randomUUID();
        pending.set(correlationId, resolve);
        channel.sendToQueue(BARE_QUEUE, Buffer.from(JSON.stringify(request)), {
          correlationId,
          replyTo: 'amq.rabbitmq.reply-to',
          contentType: 'application/json',
        });
      }),
    close: () => connection.close(),
  };
}

/** Sequential calls; every reply is checked, so a wrong answer cannot pass for a fast one. */
async function measure(client, count) {
  const latencies = new Float64Array(count);
  for (let i = 0; i < count; i += 1) {
    const request = { sku: `SKU-${i % 97}`, quantity: (i % 5) + 1 };
    const started = performance.now();
    const reply = await client.call(request);
    latencies[i] = performance.now() - started;
    if (reply?.total !== request.quantity * 250) {
      throw new Error(`wrong reply ${JSON.stringify(reply)} to ${JSON.stringify(request)}`);
    }
  }
  latencies.sort();
  const at = (share) => latencies[Math.min(count - 1, Math.floor(share * count))];
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999), max: latencies[count - 1] };
}

await rabbitmqctl('add_vhost', vhost);
await rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
const clients = [];
try {
  await Promise.all([startServer('nest'), startServer('amqplib')]);
  const ours = await ourClient();
  const bare = await bareClient();
  clients.push(ours, bare);
  await measure(ours, WARMUP);
  await measure(bare, WARMUP);

  const rounds = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    const order = r % 2 === 0 ? ['ours', 'bare'] : ['bare', 'ours'];
    const figures = {};
    for (const side of order)
      figures[side] = await measure(side === 'ours' ? ours : bare, REQUESTS);
    rounds.push({
      ...figures,
      ratioP50: figures.ours.p50 / figures.bare.p50,
      ratioP99: figures.ours.p99 / figures.bare.p99,
    });
  }

  const summary = (side) =>
    Object.fromEntries(
      ['p50', 'p99', 'p999', 'max'].map((k) => [
        k,
        round(median(rounds.map((x) => x[side][k])), 3),
      ]),
    );
  const report = {
    date: new Date().toISOString(),
    machine: { ...HOST, loadAverageAtEnd: machine().loadAverage },
    settings: { rounds: ROUNDS, requestsPerRound: REQUESTS, warmup: WARMUP, pinning },
    ours: summary('ours'),
    bare: summary('bare'),
    ratioP50: round(median(rounds.map((x) => x.ratioP50)), 2),
    ratioP50Rounds: rounds.map((x) => round(x.ratioP50, 2)),
    ratioP99: round(median(rounds.map((x) => x.ratioP99)), 2),
    target: TARGET,
  };
  report.met = {
    p50: report.ours.p50 <= TARGET.p50Ms,
    p99: report.ours.p99 <= TARGET.p99Ms,
    ratio: report.ratioP50 <= TARGET.ratio,
  };
  console.log(JSON.stringify(report, null, 2));
  console.log(`results: ${await writeResults('rpc-round-trip', report)}`);
} finally {
  await Promise.allSettled(clients.map((client) => client.close()));
  for (const server of servers) {
    server.child.kill('SIGTERM');
    await Promise.race([server.exited, new Promise((wait) => setTimeout(wait, 10_000))]);
    server.kill();
  }
  await rabbitmqctl('delete_vhost', vhost);
}
