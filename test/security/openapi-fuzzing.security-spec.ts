import fc from 'fast-check';
import { describeRequest, ObservedTraffic, type ObservedResponse } from './observed-traffic.js';
import { type FuzzedOperation, requestFor } from './openapi-requests.js';
import {
  documentedOperations,
  fullRun,
  modeTitle,
  openSecurityShop,
  type SecurityShop,
  recordSecurityResult,
  OPEN_SHOP_BUDGET_MS,
} from './security-shop.js';

// Suite 10 (issue 9): requests generated from the app's own OpenAPI document, for every
// operation, as every kind of caller: none may answer 5xx or leave the client hanging.
const REQUESTS = fullRun() ? 10_000 : 300;
const CONCURRENCY = 8;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

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
    // Deletions last: an admin's fuzzed DELETE may remove the fixture product the rest aims at;
    // account deletions after them, as they may remove the callers themselves (then 401s).
    const rank = ({ method, pathTemplate }: FuzzedOperation): number =>
      method !== 'DELETE' ? 0 : pathTemplate.startsWith('/v1/users') ? 2 : 1;
    operations = (await documentedOperations(cast.shop.app)).sort((a, b) => rank(a) - rank(b));
    traffic = new ObservedTraffic(cast.shop.app.baseUrl);
  }, OPEN_SHOP_BUDGET_MS);

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

      const failures = answers.filter((answer) => !acceptable(answer));
      recordSecurityResult(
        10,
        'Schema-driven fuzzing',
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
          `- 5xx or no answer: ${failures.length} (health probes reporting a degraded ` +
            `dependency with 503, not counted: ${answers.filter((answer) => answer.status >= 500 && acceptable(answer)).length})`,
        ].join('\n'),
      );

      expect(answers).toHaveLength(perOperation * operations.length);
      expect(failures.map(reproduction)).toEqual([]);
      expect(traffic.secretsSeen()).toEqual([]);
    },
    fullRun() ? 1_800_000 : 300_000,
  );

  it('still serves the catalog after the fuzzing', async () => {
    // The listing, not the fixture product: the fuzzing admin may have deleted that one.
    const response = await fetch(`${cast.shop.app.baseUrl}/v1/products?limit=5`);
    expect(response.status).toBe(200);
    expect(cast.shop.app.logs()).not.toContain('Maximum call stack size exceeded');
  });
});

/**
 * Any answer but a 5xx or none. A probe's 503 is the state of what it checks, not an answer to
 * the input (the shared test database may hold another suite's old outbox rows): the probes may
 * answer 503, never 500.
 */
const acceptable = ({ status, request }: ObservedResponse): boolean =>
  (status > 0 && status < 500) || (status === 503 && request.path.startsWith('/health'));

/** What a failure message shows: the answer and the request, enough to send it again. */
const reproduction = (answer: ObservedResponse): string =>
  `${answer.status === 0 ? `no answer (${answer.failure})` : answer.status} ${answer.text.slice(0, 500)}\n` +
  `seed ${SEED}; request:\n${describeRequest(answer.request)}`;
