import { connect } from 'node:net';

export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/**
 * Sends bytes as they are to `baseUrl`'s host and port and reads the answer until the server
 * closes: for requests no HTTP client would send (an invalid request line, headers over the
 * parser's limit), which the server refuses before any route sees them. Expects one answer,
 * its length given by content-length (or the connection's end).
 */
export function sendRaw(baseUrl: string, request: string, timeoutMs = 10_000): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const socket = connect({ host: hostname, port: Number(port) });
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const answer = Buffer.concat(chunks).toString('latin1');
      const end = answer.indexOf('\r\n\r\n');
      if (end < 0) {
        reject(new Error(`no complete answer (${answer.length} bytes): ${answer.slice(0, 200)}`));
        return;
      }
      const [statusLine, ...lines] = answer.slice(0, end).split('\r\n');
      const headers = new Headers();
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      const length = Number(headers.get('content-length') ?? Number.NaN);
      const body = answer.slice(end + 4);
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers,
        text: Number.isNaN(length) ? body : body.slice(0, length),
      });
    };
    const timer = setTimeout(() => {
      settled = true;
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', finish);
    // The server may close while we still write (it refused before reading it all): keep what came.
    socket.on('error', () => (chunks.length > 0 ? finish() : undefined));
    socket.on('close', () => {
      if (chunks.length > 0) finish();
      else if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(new Error('closed unanswered'));
      }
    });
    socket.write(request);
  });
}
