import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { genericProblem, PROBLEM_CONTENT_TYPE, problemType } from '#lib/http-problems';

/** What Node's HTTP parser reports with the error (llhttp codes and Node's own). */
interface ClientError extends Error {
  code?: string;
}

/** The parser's refusal, by its error code; anything else it cannot parse is a plain 400. */
function statusOf(error: ClientError): number {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  if (error.code === 'HPE_HEADER_OVERFLOW') return 431;
  return 400;
}

/**
 * Fastify's `clientErrorHandler`: answers a request Node's HTTP parser refused (an invalid request
 * line, headers over the size limit, a request not received in time) before any route, hook or
 * filter saw it. Fastify's default writes a bare JSON body without our headers; this writes the
 * problem+json every other refusal sends, with the same security headers, then closes the
 * connection, whose remaining bytes cannot be trusted to start a request.
 */
export function problemClientErrorHandler(
  securityHeaders: Readonly<Record<string, string>>,
): (error: ClientError, socket: Socket) => void {
  return (error, socket) => {
    // A reset connection has nobody left to answer (as Fastify's default handler does).
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    if (socket.writable) {
      const status = statusOf(error);
      const { code, title } = genericProblem(status);
      const body = JSON.stringify({ type: problemType(code), title, status, code });
      const headers = {
        ...securityHeaders,
        'content-type': `${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
        'content-length': String(Buffer.byteLength(body)),
        connection: 'close',
      };
      const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head.join('')}\r\n${body}`);
    }
    socket.destroy(error);
  };
}
