import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { type LingerLimits, lingerOnClose } from './lingering-close.js';

const BODY_LIMIT = 1_024;
const UPLOAD = 8 * 2 ** 20;
const FOREVER: LingerLimits = { millis: 600_000, bytes: 2 ** 30 };

/** A Fastify server that refuses bodies over 1 KiB with 413 before reading them, on a free port. */
async function refusingServer(
  limits: LingerLimits | 'no lingering',
): Promise<{ app: FastifyInstance; port: number }> {
  const app = Fastify({ bodyLimit: BODY_LIMIT });
  if (limits !== 'no lingering') lingerOnClose(app.server, limits);
  app.post('/upload', () => ({ accepted: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { app, port: address.port };
}

interface Exchange {
  /** What the server sent before the connection ended. */
  readonly received: string;
  /** True when the connection ended in a reset rather than an orderly close. */
  readonly reset: boolean;
}

/**
 * A client that starts a POST declaring `declaredBytes`, then sends `sendBytes` of body as fast
 * as the connection takes them (stopping early if the server ends the connection) and closes its
 * side. It keeps sending after the server's FIN, as a client busy uploading does.
 */
async function upload(port: number, declaredBytes: number, sendBytes: number): Promise<Exchange> {
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  await once(socket, 'connect');
  let received = '';
  let reset = false;
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', (error: NodeJS.ErrnoException) => {
    reset ||= error.code === 'ECONNRESET' || error.code === 'EPIPE';
  });
  // Not events.once: it rejects on the 'error' that a reset brings.
  const closed = new Promise((resolve) => socket.once('close', resolve));

  socket.write(
    'POST /upload HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n' +
      `content-length: ${declaredBytes}\r\n\r\n`,
  );
  const chunk = Buffer.alloc(64 * 1_024, 'a');
  for (let sent = 0; sent < sendBytes && isOpen(socket); sent += chunk.length) {
    if (!socket.write(chunk)) await drainedOrClosed(socket);
  }
  if (isOpen(socket)) socket.end();

  await closed;
  return { received, reset };
}

function isOpen(socket: Socket): boolean {
  return !socket.destroyed && socket.writable;
}

async function drainedOrClosed(socket: Socket): Promise<void> {
  await new Promise<void>((resolve) => {
    socket.once('drain', resolve);
    socket.once('close', resolve);
  });
}

describe('lingerOnClose', () => {
  let app: FastifyInstance | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  // Why the module exists: if this starts failing, Node lingers by itself and the module can go.
  it("is needed: by Node's default a client still uploading when the 413 comes is reset", async () => {
    const server = await refusingServer('no lingering');
    app = server.app;

    const { reset } = await upload(server.port, UPLOAD, UPLOAD);

    expect(reset).toBe(true);
  });

  it('lets a client still uploading read the whole 413, and closes without a reset', async () => {
    const server = await refusingServer(FOREVER);
    app = server.app;

    const { received, reset } = await upload(server.port, UPLOAD, UPLOAD);

    expect(received).toMatch(/^HTTP\/1.1 413 /);
    expect(received).toContain('FST_ERR_CTP_BODY_TOO_LARGE');
    expect(reset).toBe(false);
  });

  it('stops reading a client that keeps sending once the byte budget is spent', async () => {
    const server = await refusingServer({ millis: 600_000, bytes: 256 * 1_024 });
    app = server.app;

    // Would send 1 GiB; the server ends the connection long before, and not by its deadline.
    const { received, reset } = await upload(server.port, 2 ** 30, 2 ** 30);

    expect(received).toMatch(/^HTTP\/1.1 413 /);
    expect(reset).toBe(true);
  });

  it('gives up on a client that neither sends nor closes once the time is up', async () => {
    const server = await refusingServer({ millis: 200, bytes: 2 ** 30 });
    app = server.app;
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.write(
      'POST /upload HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n' +
        `content-length: ${BODY_LIMIT * 64}\r\n\r\n`,
    );

    // The client never closes: only the server's deadline ends the connection.
    await once(socket, 'close');
    expect(received).toMatch(/^HTTP\/1.1 413 /);
  });
});
