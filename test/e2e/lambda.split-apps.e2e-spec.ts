import { randomUUID } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { testDatabaseReady } from '../support/app-process.js';
import {
  invokeLambdaInFreshProcess,
  type LambdaInvocation,
  type LambdaInvocationResult,
} from '../support/lambda-invoker.js';
import { createTestVhost, deleteTestVhost, rabbitmqUrl } from '../support/rabbitmq-vhost.js';
import {
  TEST_AUDIENCE,
  TEST_ISSUER,
  testAppEnvironment,
  testKeyPair,
  uniqueEmail,
} from '../support/test-environment.js';

/** An access token as identity issues them, signed with the test key the apps verify with. */
async function accessToken(roles: string[]): Promise<string> {
  return new SignJWT({ roles })
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt' })
    .setSubject(randomUUID())
    .setIssuer(TEST_ISSUER)
    .setAudience(TEST_AUDIENCE)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(await importPKCS8(testKeyPair().privateKeyPem, 'RS256'));
}

const problemOf = (result: LambdaInvocationResult | undefined): Record<string, unknown> => {
  expect(result?.headers['content-type']).toMatch(/^application\/problem\+json/);
  return JSON.parse(result?.body ?? '') as Record<string, unknown>;
};

interface AppCase {
  app: 'identity' | 'catalog' | 'orders' | 'payments' | 'notifications';
  /** An authenticated GET and its expected status. */
  get: (token: string) => LambdaInvocation;
  /** A JSON POST the app serves on its own (no other app involved), when it has one. */
  post?: (adminToken: string) => { invocation: LambdaInvocation; status: number };
  /** A request the app refuses, and the problem code it answers with. */
  refused: LambdaInvocation & { status: number; code: string };
}

const cases: AppCase[] = [
  {
    app: 'identity',
    get: (token) => ({ method: 'GET', path: '/v1/users', query: 'limit=5', token }),
    post: () => ({
      // Base64-encoded, as API Gateway may deliver a body.
      invocation: {
        method: 'POST',
        path: '/v1/users',
        body: { email: uniqueEmail('lambda-identity'), password: 'correct horse battery staple' },
        base64: true,
      },
      status: 201,
    }),
    refused: {
      method: 'POST',
      path: '/v1/users',
      body: { email: 'not-an-email', password: 'x' },
      status: 400,
      code: 'VALIDATION_FAILED',
    },
  },
  {
    app: 'catalog',
    get: (token) => ({ method: 'GET', path: '/v1/products', query: 'limit=5', token }),
    post: (token) => ({
      invocation: {
        method: 'POST',
        path: '/v1/products',
        token,
        body: {
          sku: `LAMBDA-${randomUUID().slice(0, 8)}`,
          name: 'Lambda mug',
          price: { amountMinor: 1299, currency: 'EUR' },
          stock: 3,
        },
      },
      status: 201,
    }),
    refused: {
      method: 'POST',
      path: '/v1/products',
      body: { sku: 'NO-TOKEN', name: 'x', price: { amountMinor: 1, currency: 'EUR' }, stock: 1 },
      status: 401,
      code: 'UNAUTHENTICATED',
    },
  },
  {
    app: 'orders',
    get: (token) => ({ method: 'GET', path: '/v1/orders', token }),
    refused: { method: 'GET', path: '/v1/orders', status: 401, code: 'UNAUTHENTICATED' },
  },
  {
    app: 'payments',
    get: (token) => ({
      method: 'GET',
      path: '/v1/payments',
      query: `orderId=${randomUUID()}`,
      token,
    }),
    refused: { method: 'GET', path: '/v1/payments', status: 401, code: 'UNAUTHENTICATED' },
  },
  {
    app: 'notifications',
    get: (token) => ({ method: 'GET', path: '/v1/notifications', token }),
    refused: { method: 'GET', path: '/v1/notifications', status: 401, code: 'UNAUTHENTICATED' },
  },
];

// Each split app's REST surface as a Lambda handler (apps/<app>/src/lambda.ts), one fresh process
// per app as Lambda's runtime would import it, over the RMQ transport like the split apps.
describe.each(cases)('the $app app as a Lambda handler', ({ app, get, post, refused }) => {
  let vhost: string;
  let results: LambdaInvocationResult[];
  let output: string;

  // A fresh Node process per app: its import and init take seconds on a busy machine.
  beforeAll(async () => {
    await testDatabaseReady();
    vhost = await createTestVhost();
    const [customer, admin] = await Promise.all([
      accessToken(['customer']),
      accessToken(['admin']),
    ]);
    const invocations: LambdaInvocation[] = [
      { method: 'GET', path: '/health/live' },
      get(app === 'identity' ? admin : customer),
      refused,
      { method: 'GET', path: '/health/live' },
    ];
    if (post) invocations.push(post(admin).invocation);
    ({ results, output } = await invokeLambdaInFreshProcess(
      `dist/apps/${app}/src/lambda.js`,
      invocations,
      testAppEnvironment({
        MESSAGING_TRANSPORT: 'rmq',
        RABBITMQ_URL: rabbitmqUrl(vhost),
      }),
    ));
  }, 120_000);

  afterAll(async () => {
    if (vhost) await deleteTestVhost(vhost);
  });

  it('answers the liveness probe with 200', () => {
    expect(results[0]?.statusCode).toBe(200);
    expect(JSON.parse(results[0]?.body ?? '')).toEqual({ status: 'ok' });
  });

  it('serves an authenticated GET', () => {
    expect(results[1]?.statusCode).toBe(200);
    expect(results[1]?.headers['content-type']).toMatch(/^application\/json/);
  });

  it('answers a refused request with a problem+json document', () => {
    expect(results[2]?.statusCode).toBe(refused.status);
    expect(problemOf(results[2])).toMatchObject({ status: refused.status, code: refused.code });
  });

  if (post) {
    it('takes a JSON POST through validation and the database', () => {
      expect(results[4]?.statusCode).toBe(post('').status);
    });
  }

  it('builds the app once and reuses it for the later invocations', () => {
    expect(output.match(/Nest application successfully started/g) ?? []).toHaveLength(1);
    // A warm invocation is an in-memory inject: far below the second or so a cold start takes.
    expect(results[3]?.durationMs).toBeLessThan(200);
  });
});
