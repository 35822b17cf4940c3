/**
 * Every request a security suite sends goes through one ObservedTraffic: each is bounded by a
 * timeout (a hang fails like a 5xx), and the recorder keeps what the suites report: statuses,
 * latencies, and any secret found in a response body.
 */

export interface SecurityRequest {
  readonly method: string;
  /** Path and query, already encoded as they go on the wire. */
  readonly path: string;
  readonly headers?: Record<string, string>;
  /** Text, or raw bytes for bodies that are not valid UTF-8. */
  readonly body?: string | Uint8Array;
}

export interface ObservedResponse {
  readonly request: SecurityRequest;
  /** 0 when no answer came within the timeout or the connection failed. */
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly millis: number;
  /** Why no status: the timeout or the connection error. */
  readonly failure?: string;
}

/** Keys that must never leave the server in a JSON body, whatever their value (d, p, q...: a JWK's private members). */
const SECRET_KEY = /(hash|secret|private|salt|^password$|^passwd$|^d$|^p$|^q$|^dp$|^dq$|^qi$)/i;
/** Values that are secrets wherever they appear. */
const SECRET_VALUE = /\$argon2|-----BEGIN [A-Z ]*PRIVATE KEY-----|QueryFailedError|\n\s+at \S+ \(/;

/** Paths to the secrets in a JSON value (`$.items[0].passwordHash`), empty when none. */
export function secretsIn(value: unknown, path = '$'): string[] {
  if (typeof value === 'string') return SECRET_VALUE.test(value) ? [`${path} (value)`] : [];
  if (Array.isArray(value))
    return value.flatMap((item, index) => secretsIn(item, `${path}[${index}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => [
    ...(SECRET_KEY.test(key) ? [`${path}.${key}`] : []),
    ...secretsIn(inner, `${path}.${key}`),
  ]);
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

const describeBody = (body: string | Uint8Array): string => {
  if (typeof body !== 'string') {
    return `(${body.length} bytes) ${Buffer.from(body.subarray(0, 200)).toString('hex')}`;
  }
  return body.length > 2_000 ? `${body.slice(0, 2_000)}… (${body.length} chars)` : body;
};

export const describeRequest = ({ method, path, headers, body }: SecurityRequest): string =>
  [
    `${method} ${path.length > 600 ? `${path.slice(0, 600)}… (${path.length} chars)` : path}`,
    ...Object.entries(headers ?? {}).map(
      ([name, value]) =>
        `${name}: ${value.length > 200 ? `${value.slice(0, 200)}… (${value.length})` : value}`,
    ),
    ...(body === undefined ? [] : [describeBody(body)]),
  ].join('\n');

export const percentile = (sorted: readonly number[], fraction: number): number =>
  sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];

export class ObservedTraffic {
  private readonly statuses = new Map<number, number>();
  private readonly latencies: number[] = [];
  private readonly secrets: string[] = [];
  private readonly startedAt = Date.now();

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 15_000,
  ) {}

  async send(request: SecurityRequest): Promise<ObservedResponse> {
    const started = performance.now();
    let observed: ObservedResponse;
    try {
      const response = await fetch(`${this.baseUrl}${request.path}`, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'manual',
      });
      const text = await response.text();
      observed = {
        request,
        status: response.status,
        headers: response.headers,
        text,
        millis: performance.now() - started,
      };
    } catch (error) {
      observed = {
        request,
        status: 0,
        headers: new Headers(),
        text: '',
        millis: performance.now() - started,
        // fetch says only "fetch failed"; the cause says how (reset, closed, timed out).
        failure: [error, (error as Error).cause]
          .filter((reason): reason is Error => reason instanceof Error)
          .map(
            (reason) => `${reason.message}${'code' in reason ? ` (${String(reason.code)})` : ''}`,
          )
          .join(': '),
      };
    }
    this.record(observed);
    return observed;
  }

  /** Sends every request, at most `concurrency` at a time; resolves with the answers in order. */
  async sendAll(
    requests: readonly SecurityRequest[],
    concurrency = 8,
  ): Promise<ObservedResponse[]> {
    const answers: ObservedResponse[] = new Array<ObservedResponse>(requests.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < requests.length) {
        const index = next++;
        answers[index] = await this.send(requests[index]);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return answers;
  }

  /** Every secret seen in a JSON response body so far, with the request that drew it out. */
  secretsSeen(): readonly string[] {
    return this.secrets;
  }

  count(): number {
    return this.latencies.length;
  }

  /** Markdown lines: requests sent, statuses seen, p50/p99/max latency, duration. */
  summary(): string {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const statuses = [...this.statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, count]) => `${status === 0 ? 'no answer' : status} × ${count}`)
      .join(', ');
    return [
      `- requests sent: ${sorted.length}`,
      `- statuses seen: ${statuses}`,
      `- latency: p50 ${percentile(sorted, 0.5).toFixed(0)} ms, p99 ${percentile(sorted, 0.99).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms`,
      `- duration: ${((Date.now() - this.startedAt) / 1000).toFixed(1)} s`,
    ].join('\n');
  }

  private record(observed: ObservedResponse): void {
    this.statuses.set(observed.status, (this.statuses.get(observed.status) ?? 0) + 1);
    this.latencies.push(observed.millis);
    if (!observed.headers.get('content-type')?.includes('json')) return;
    const found = secretsIn(parseJson(observed.text));
    if (found.length > 0) {
      this.secrets.push(
        `${found.join(', ')} in the answer to\n${describeRequest(observed.request)}`,
      );
    }
  }
}
