import { type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  spawnGateway,
  SPLIT_APPS,
  type Upstreams,
} from '../../../scripts/split-stack/split-stack.js';
import { freePort } from '../../support/spawned-process.js';

// Two replicas of orders behind the split gateway (nginx): the first closes every connection as
// soon as a request has arrived on it, without answering, as a replica does with a keep-alive
// connection it closes while stopping, just as the gateway sends a request on it. The second
// answers. Which requests the gateway hands on to the second decides whether they fail.

interface Gateway {
  readonly url: string;
  stop(): Promise<void>;
}

const listening = async <T extends HttpServer | TcpServer>(server: T): Promise<T> => {
  server.listen(await freePort(), '127.0.0.1');
  await once(server, 'listening');
  return server;
};
const portOf = (server: HttpServer | TcpServer): number => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening');
  return address.port;
};
const close = (server: HttpServer | TcpServer): Promise<void> =>
  new Promise((closed) => server.close(() => closed()));

describe('split gateway, a replica closing a connection a request was sent on', () => {
  let closing: TcpServer;
  let answering: HttpServer;
  let requestsToClosing = 0;
  const gateways: Gateway[] = [];

  beforeAll(async () => {
    closing = await listening(
      createTcpServer((socket) => {
        socket.on('data', () => {
          requestsToClosing += 1;
          socket.destroy();
        });
      }),
    );
    answering = await listening(
      createHttpServer((request, response) => {
        request.resume();
        response.writeHead(201, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ answeredBy: 'second replica', url: request.url }));
      }),
    );
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await close(closing);
    await close(answering);
  });

  /** A gateway of its own: NGINX keeps a failed replica out for a while, per process. */
  async function startGateway(): Promise<Gateway> {
    const directory = mkdtempSync(join(tmpdir(), 'gateway-failover-'));
    const port = await freePort();
    const second = `127.0.0.1:${portOf(answering)}`;
    const upstreams = Object.fromEntries(
      SPLIT_APPS.map((app) => [
        app,
        app === 'orders' ? `127.0.0.1:${portOf(closing)}; server ${second}` : second,
      ]),
    ) as Upstreams;
    const child: ChildProcess = spawnGateway(directory, port, upstreams);
    const exited = once(child, 'exit');
    const gateway = {
      url: `http://127.0.0.1:${port}`,
      async stop() {
        if (child.exitCode === null) child.kill('SIGTERM');
        await exited;
        rmSync(directory, { recursive: true, force: true });
      },
    };
    gateways.push(gateway);
    // Catalog has the answering replica alone: the gateway is up once it answers through it.
    for (let attempt = 0; ; attempt += 1) {
      const status = await fetch(`${gateway.url}/v1/products`).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 201) return gateway;
      if (attempt > 200) throw new Error(`the gateway did not come up (last status ${status})`);
      await sleep(50);
    }
  }

  /** Sends `post` until one of them reached the closing replica; returns every answer's status. */
  async function untilOneReachedTheClosingReplica(gateway: Gateway, path: string) {
    const before = requestsToClosing;
    const statuses: number[] = [];
    while (requestsToClosing === before) {
      if (statuses.length >= 20) throw new Error('no request reached the first replica');
      const response = await fetch(`${gateway.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
        body: '{}',
      });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    return statuses;
  }

  it('hands a placement on to the next replica: its Idempotency-Key makes the replay safe', async () => {
    const statuses = await untilOneReachedTheClosingReplica(await startGateway(), '/v1/orders');
    expect(statuses).toEqual(statuses.map(() => 201));
  });

  it('replays no other POST: cancelling an order that may have happened answers 503', async () => {
    const statuses = await untilOneReachedTheClosingReplica(
      await startGateway(),
      '/v1/orders/6f1c0d1e-3c51-4e2f-8d7e-1f6a3c2b9e10/cancel',
    );
    expect(statuses.at(-1)).toBe(503);
  });
});
