import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// import.meta.dirname is not available under Jest 29's ESM runtime.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EVENT_TEMPLATE = fileURLToPath(
  new URL('./api-gateway/http-api-v2.event.json', import.meta.url),
);
const RESULT_MARKER = 'LAMBDA_RESULTS ';

/** One API Gateway HTTP API request, as a client would send it. */
export interface LambdaInvocation {
  method: string;
  path: string;
  /** Without the leading `?`, as API Gateway puts it in `rawQueryString`. */
  query?: string;
  /** A bearer token for the `authorization` header. */
  token?: string;
  /** Sent as JSON (`content-type: application/json`). */
  body?: unknown;
  /** Delivers the body base64-encoded (`isBase64Encoded: true`), as API Gateway may. */
  base64?: boolean;
}

export interface LambdaInvocationResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  durationMs: number;
}

/**
 * Runs inside the child. Each event is the recorded template (test/support/api-gateway/) with the
 * request line, client headers, body and ids set the way API Gateway fills them in.
 */
const INVOKER = `
import { readFileSync } from 'node:fs';
const template = JSON.parse(readFileSync(process.env.LAMBDA_EVENT_TEMPLATE, 'utf8'));
const invocations = JSON.parse(process.env.LAMBDA_INVOCATIONS);
const { handler } = await import(process.env.LAMBDA_ENTRY);
const results = [];
for (const [index, { method, path, query = '', token, body, base64 = false }] of invocations.entries()) {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const event = structuredClone(template);
  event.rawPath = path;
  event.rawQueryString = query;
  // API Gateway also parses the query, joining repeated names with commas, and leaves the field
  // out when there is none; the adapter reads this one.
  const parameters = {};
  for (const [name, value] of new URLSearchParams(query)) {
    parameters[name] = name in parameters ? parameters[name] + ',' + value : value;
  }
  if (query !== '') event.queryStringParameters = parameters;
  event.requestContext.http.method = method;
  event.requestContext.http.path = path;
  event.requestContext.requestId = 'lambda-test-' + index;
  event.requestContext.timeEpoch = Date.now();
  event.headers['content-length'] = String(text === undefined ? 0 : Buffer.byteLength(text));
  if (token !== undefined) event.headers.authorization = 'Bearer ' + token;
  if (text !== undefined) {
    event.headers['content-type'] = 'application/json';
    event.body = base64 ? Buffer.from(text).toString('base64') : text;
    event.isBase64Encoded = base64;
  }
  const startedAt = performance.now();
  const response = await handler(event, { awsRequestId: 'lambda-test-' + index });
  results.push({ ...response, durationMs: performance.now() - startedAt });
}
console.log(${JSON.stringify(RESULT_MARKER)} + JSON.stringify(results));
// The database pool, Redis and the broker stay open for the next invocation, as in a warm
// container; Lambda would freeze the process here, the test ends it.
process.exit(0);
`;

/**
 * Imports a built Lambda entry (dist/apps/<app>/src/lambda.js) in a fresh Node process, as
 * Lambda's Node runtime does, and invokes its handler with API Gateway HTTP API (payload 2.0)
 * events one after another in that process. `output` is everything the process logged.
 */
export async function invokeLambdaInFreshProcess(
  entry: string,
  invocations: readonly LambdaInvocation[],
  env: Record<string, string>,
  timeoutMs = 45_000,
): Promise<{ results: LambdaInvocationResult[]; output: string }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', INVOKER], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      ...env,
      LAMBDA_ENTRY: resolve(ROOT, entry),
      LAMBDA_EVENT_TEMPLATE: EVENT_TEMPLATE,
      LAMBDA_INVOCATIONS: JSON.stringify(invocations),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  const line = output.split('\n').find((candidate) => candidate.startsWith(RESULT_MARKER));
  if (code !== 0 || line === undefined) {
    throw new Error(`the invoker exited ${code} without results; output:\n${output.slice(-5_000)}`);
  }
  return {
    results: JSON.parse(line.slice(RESULT_MARKER.length)) as LambdaInvocationResult[],
    output,
  };
}
