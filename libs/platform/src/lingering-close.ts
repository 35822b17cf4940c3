import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** How long, and how much of what a client still sends, a closing connection reads and drops. */
export interface LingerLimits {
  readonly millis: number;
  readonly bytes: number;
}

/** nginx's lingering_timeout order of magnitude; the bytes bound what an attacker can make us read. */
export const DEFAULT_LINGER_LIMITS: LingerLimits = { millis: 5_000, bytes: 16 * 2 ** 20 };

/**
 * Lingering close (RFC 9112 §9.6) for every connection the server closes. Fastify closes the
 * connection after refusing a body it did not read to the end (413, a body that is not JSON), and
 * Node's HTTP server then destroys the socket as soon as the answer is written. A socket closed
 * with unread data makes the kernel send a reset, which often reaches a client still uploading
 * before it read the answer: it sees EPIPE or ECONNRESET instead of the 413. nginx and Apache
 * linger; Node has no option for it. So the socket ends its side after the answer, reads and
 * drops what the client still sends, and is destroyed when the client closes its side, or at the
 * latest after `limits.millis` or `limits.bytes`.
 */
export function lingerOnClose(server: Server, limits: LingerLimits = DEFAULT_LINGER_LIMITS): void {
  server.on('connection', (socket: Socket) => {
    // Node's HTTP server calls destroySoon() when an answer ends a connection.
    (socket as LingeringSocket).destroySoon = function lingeringDestroySoon(this: Socket) {
      linger(this, limits);
    };
  });
}

type LingeringSocket = Socket & { destroySoon(): void };

function linger(socket: Socket, limits: LingerLimits): void {
  if (socket.destroyed) return;
  // The half-close waits for what is buffered: the answer goes out before the FIN.
  if (socket.writable) socket.end();
  let dropped = 0;
  const destroy = () => {
    clearTimeout(deadline);
    socket.destroy();
  };
  const deadline = setTimeout(destroy, limits.millis);
  deadline.unref();
  socket.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > limits.bytes) destroy();
  });
  socket.once('end', destroy);
  socket.once('close', () => clearTimeout(deadline));
  socket.resume();
  readAgain(socket);
}

type HandleReading = { reading: boolean; readStart(): number };

/**
 * Node's HTTP server stops the socket's handle reading while a request body waits unread (the
 * refused one), behind the stream's back: the stream believes a read is pending, so resume()
 * alone reads nothing more and the client's upload stalls. No public call restarts it.
 */
function readAgain(socket: Socket): void {
  const handle = (socket as Socket & { _handle?: HandleReading | null })._handle;
  if (handle && !handle.reading) {
    handle.reading = true;
    handle.readStart();
  }
}
