import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testDatabaseReady } from '../support/app-process.js';
import { testAppEnvironment, uniqueEmail } from '../support/test-environment.js';

// import.meta.dirname is not available under Jest 29's ESM runtime.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RESULT_MARKER = 'LAMBDA_RESULTS ';

interface Invocation {
  method: string;
  path: string;
  body?: unknown;
}

interface InvocationResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  durationMs: number;
}

/**
 * Imports the built handler in a fresh Node process, as Lambda's runtime does, and invokes it with
 * API Gateway HTTP API (payload 2.0) events one after another in the same process.
 */
const INVOKER = `
const invocations = JSON.parse(process.env.LAMBDA_INVOCATIONS);
const { handler } = await import(process.cwd() + '/dist/apps/monolith/src/lambda.js');
const results = [];
for (const [index, { method, path, body }] of invocations.entries()) {
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: {
      host: 'api.example.test',
      'user-agent': 'lambda-e2e',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'lambda-e2e' },
      requestId: 'lambda-e2e-' + index,
      routeKey: '$default',
      stage: '$default',
    },
    isBase64Encoded: false,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
  const startedAt = performance.now();
  const response = await handler(event, { awsRequestId: 'lambda-e2e-' + index });
  results.push({ ...response, durationMs: performance.now() - startedAt });
}
console.log(${JSON.stringify(RESULT_MARKER)} + JSON.stringify(results));
// The database pool and Redis stay open for the next invocation, as in a warm container.
process.exit(0);
`;

async function invokeInFreshProcess(
  invocations: Invocation[],
): Promise<{ results: InvocationResult[]; output: string }> {
  await testDatabaseReady();
  const child = spawn(process.execPath, ['--input-type=module', '-e', INVOKER], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      ...testAppEnvironment({ LAMBDA_INVOCATIONS: JSON.stringify(invocations) }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  const line = output.split('\n').find((candidate) => candidate.startsWith(RESULT_MARKER));
  if (code !== 0 || line === undefined) {
    throw new Error(`the invoker exited ${code} without results; output:\n${output.slice(-5_000)}`);
  }
  return { results: JSON.parse(line.slice(RESULT_MARKER.length)) as InvocationResult[], output };
}

describe('the monolith as a Lambda handler', () => {
  const email = uniqueEmail('lambda');
  let results: InvocationResult[];
  let output: string;

  beforeAll(async () => {
    ({ results, output } = await invokeInFreshProcess([
      { method: 'GET', path: '/health/live' },
      { method: 'GET', path: '/health/live' },
      { method: 'GET', path: '/v1/nothing' },
      {
        method: 'POST',
        path: '/v1/users',
        body: { email, password: 'correct horse battery staple' },
      },
    ]));
  });

  it('answers the liveness probe with 200', () => {
    expect(results[0]?.statusCode).toBe(200);
    expect(JSON.parse(results[0]?.body ?? '')).toEqual({ status: 'ok' });
  });

  it('answers an unknown route with a 404 problem+json document', () => {
    expect(results[2]?.statusCode).toBe(404);
    expect(results[2]?.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(results[2]?.body ?? '')).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('registers a user from a JSON body, through validation and the database', () => {
    expect(results[3]?.statusCode).toBe(201);
    expect(JSON.parse(results[3]?.body ?? '')).toMatchObject({ email, roles: ['customer'] });
  });

  it('builds the app once per process and reuses it for every later invocation', () => {
    const starts = output.match(/Nest application successfully started/g) ?? [];
    expect(starts).toHaveLength(1);
    // A warm invocation is an in-memory inject: far below the second or so a cold start takes.
    expect(results[1]?.durationMs).toBeLessThan(200);
  });
});
