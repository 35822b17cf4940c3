import { testDatabaseReady } from '../support/app-process.js';
import {
  invokeLambdaInFreshProcess,
  type LambdaInvocation,
  type LambdaInvocationResult,
} from '../support/lambda-invoker.js';
import { testAppEnvironment, uniqueEmail } from '../support/test-environment.js';

async function invokeMonolith(
  invocations: LambdaInvocation[],
): Promise<{ results: LambdaInvocationResult[]; output: string }> {
  await testDatabaseReady();
  return invokeLambdaInFreshProcess(
    'dist/apps/monolith/src/lambda.js',
    invocations,
    testAppEnvironment(),
  );
}

describe('the monolith as a Lambda handler', () => {
  const email = uniqueEmail('lambda');
  let results: LambdaInvocationResult[];
  let output: string;

  beforeAll(async () => {
    ({ results, output } = await invokeMonolith([
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
