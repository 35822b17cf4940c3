import fc from 'fast-check';
import { recordSuiteResult } from '../support/reliability-report.js';
import { describeRequest, ObservedTraffic, type ObservedResponse } from './observed-traffic.js';
import {
  type FuzzedOperation,
  type OpenApiDocument,
  operationsOf,
  requestFor,
} from './openapi-requests.js';
import { fullRun, modeTitle, openSecurityShop, type SecurityShop } from './security-shop.js';

// Suite 10 (issue 9): requests generated from the app's own OpenAPI document, for every
// operation, as every kind of caller: none may answer 5xx or leave the client hanging.
const REQUESTS = fullRun() ? 10_000 : 300;
const CONCURRENCY = 8;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const CONTEXTS = ['identity', 'catalog', 'orders', 'payments', 'notifications'] as const;

describe(`schema-driven fuzzing (${modeTitle()})`, () => {
  let cast: SecurityShop;
  let operations: FuzzedOperation[];
  let traffic: ObservedTraffic;

  beforeAll(async () => {
    // The shop's own limits stay out of the way: 429s would hide what is behind them.
    cast = await openSecurityShop({
      THROTTLE_LIMIT: '10000000',
      LOGIN_THROTTLE_LIMIT_PER_ACCOUNT: '10000000',
      LOGIN_THROTTLE_LIMIT_PER_IP: '10000000',
    });
    const app = cast.shop.app;
    // Each app serves the document of its own routes (ADR 0027); the monolith serves all of them.
    const urls = new Set(CONTEXTS.map((context) => app.urlOf(context)));
    const documents = await Promise.all(
      [...urls].map(async (url) => {
        const response = await fetch(`${url}/docs/openapi.json`);
        if (response.status !== 200)
          throw new Error(`${url}/docs/openapi.json: ${response.status}`);
        return (await response.json()) as OpenApiDocument;
      }),
    );
    operations = operationsOf(documents);
    traffic = new ObservedTraffic(app.baseUrl);
  });

  afterAll(async () => {
    await cast?.shop.close();
  });

  it(
    'answers every generated request to every operation without a 5xx or a hang',
    async () => {
      const fixtures = {
        tokens: {
          customer: cast.victim.token,
          otherCustomer: cast.attacker.token,
          admin: cast.shop.adminToken,
        },
        ids: [
          cast.product.id,
          cast.victimOrder.id,
          cast.attackerOrder.id,
          cast.victim.id,
          cast.attacker.id,
        ],
      };
      // The same share of requests for every operation; each operation its own seeded stream.
      const perOperation = Math.ceil(REQUESTS / operations.length);
      const requests = operations.flatMap((operation, index) =>
        fc.sample(requestFor(operation, fixtures), {
          numRuns: perOperation,
          seed: SEED + index,
        }),
      );
      const answers = await traffic.sendAll(requests, CONCURRENCY);

      const failures = answers.filter((answer) => answer.status === 0 || answer.status >= 500);
      recordSuiteResult(
        `security-10-${modeTitle().split(' ')[0]}`,
        `10. Schema-driven fuzzing (${modeTitle()})`,
        [
          `Requests generated with fast-check from the OpenAPI document the app serves, ` +
            `${perOperation} for each of its ${operations.length} operations: values that follow ` +
            'the schemas (real ids and tokens, so requests reach the handlers) mixed with hostile ' +
            'ones (wrong types, NUL, lone surrogates, huge strings, injection text, ' +
            'mass-assignment and prototype keys, bodies that are not JSON), as anonymous, ' +
            `two customers, an admin and a forged token; ${CONCURRENCY} in flight, each bounded ` +
            `by a 15 s timeout. Seed ${SEED}.`,
          '',
          traffic.summary(),
          `- 5xx or no answer: ${failures.length}`,
        ].join('\n'),
      );

      expect(answers).toHaveLength(perOperation * operations.length);
      expect(failures.map(reproduction)).toEqual([]);
      expect(traffic.secretsSeen()).toEqual([]);
    },
    fullRun() ? 1_800_000 : 300_000,
  );

  it('still serves the catalog after the fuzzing', async () => {
    const response = await fetch(`${cast.shop.app.baseUrl}/v1/products/${cast.product.id}`);
    expect(response.status).toBe(200);
    expect(cast.shop.app.logs()).not.toContain('Maximum call stack size exceeded');
  });
});

/** What a failure message shows: the answer and the request, enough to send it again. */
const reproduction = (answer: ObservedResponse): string =>
  `${answer.status === 0 ? `no answer (${answer.failure})` : answer.status} ${answer.text.slice(0, 500)}\n` +
  `seed ${SEED}; request:\n${describeRequest(answer.request)}`;
