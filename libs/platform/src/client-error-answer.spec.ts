import { PassThrough } from 'node:stream';
import type { Socket } from 'node:net';
import { problemClientErrorHandler } from './client-error-answer.js';

/** A socket that keeps what was written and whether it was destroyed. */
function recordingSocket(): { socket: Socket; written: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.write = ((chunk: string) => {
    chunks.push(chunk);
    return true;
  }) as typeof stream.write;
  // Destroying with an error would emit it; the handler's caller (Node) listens, this test need not.
  stream.on('error', () => undefined);
  return { socket: stream as unknown as Socket, written: () => chunks.join('') };
}

const clientError = (code: string): Error & { code: string } =>
  Object.assign(new Error(code), { code });

describe('problemClientErrorHandler', () => {
  const handle = problemClientErrorHandler({ 'x-frame-options': 'SAMEORIGIN' });

  it.each([
    ['HPE_HEADER_OVERFLOW', 431, 'REQUEST_HEADERS_TOO_LARGE'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'REQUEST_TIMEOUT'],
    ['HPE_INVALID_METHOD', 400, 'BAD_REQUEST'],
  ])('answers %s with a %d problem+json carrying the security headers', (code, status, problem) => {
    const { socket, written } = recordingSocket();

    handle(clientError(code), socket);

    const [head, body] = written().split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    expect(head).toContain('\r\nx-frame-options: SAMEORIGIN');
    expect(head).toContain('\r\ncontent-type: application/problem+json; charset=utf-8');
    expect(head).toContain(`\r\ncontent-length: ${Buffer.byteLength(body)}`);
    expect(head).toContain('\r\nconnection: close');
    expect(JSON.parse(body)).toEqual({
      type: expect.stringMatching(/^urn:commerce:problem:/),
      title: expect.any(String),
      status,
      code: problem,
    });
    expect(socket.destroyed).toBe(true);
  });

  it('writes nothing to a connection the client reset', () => {
    const { socket, written } = recordingSocket();

    handle(clientError('ECONNRESET'), socket);

    expect(written()).toBe('');
  });
});
