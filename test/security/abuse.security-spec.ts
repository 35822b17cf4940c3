import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { e2eMode } from '../support/e2e-mode.js';
import {
  describeRequest,
  ObservedTraffic,
  type ObservedResponse,
  percentile,
  type SecurityRequest,
} from './observed-traffic.js';
import {
  fullRun,
  modeTitle,
  openSecurityShop,
  type SecurityShop,
  recordSecurityResult,
  OPEN_SHOP_BUDGET_MS,
} from './security-shop.js';
import { refusalProblems } from './security-headers.js';

// Suite 13 (issue 9): bodies and requests built to exhaust the parser, the validator or the
// event loop, sent in rounds while a probe checks that the apps keep answering; and a client
// rotating X-Forwarded-For, who must not get a fresh throttle bucket per forged address.

/** Per route and client per minute: above what the abuse rounds send to one route. */
const THROTTLE_LIMIT = 300;
const ROUNDS = fullRun() ? 10 : 2;
const CONCURRENCY = 8;
/** A probe that takes longer than this means the event loop was blocked, not just busy. */
const PROBE_TIMEOUT_MS = 10_000;

const json = (path: string, body: string | Uint8Array, extra: Record<string, string> = {}) =>
  ({
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', ...extra },
    body,
  }) satisfies SecurityRequest;

/** Abusive requests, each of which the edge must refuse with a 4xx, quickly. */
function abusiveRequests(customerToken: string): readonly (readonly [string, SecurityRequest])[] {
  const bearer = { authorization: `Bearer ${customerToken}`, 'idempotency-key': randomUUID() };
  return [
    ['an oversized JSON body (2 MiB)', json('/v1/users', `{"email":"${'a'.repeat(2 ** 21)}"}`)],
    [
      'an oversized form body (1 MiB)',
      {
        method: 'POST',
        path: '/v1/auth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=password&username=${'u'.repeat(2 ** 20)}&password=x`,
      },
    ],
    [
      'JSON nested 45,000 deep (under the size limit)',
      json('/v1/orders', `{"items":${'['.repeat(45_000)}${']'.repeat(45_000)}}`, bearer),
    ],
    [
      'objects nested 15,000 deep',
      json('/v1/users', `${'{"a":'.repeat(15_000)}1${'}'.repeat(15_000)}`),
    ],
    [
      'invalid UTF-8 in a JSON body',
      json('/v1/users', Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])),
    ],
    [
      'a truncated UTF-8 sequence in a string field',
      json(
        '/v1/users',
        Buffer.concat([
          Buffer.from('{"email":"a'),
          Buffer.from([0xe2, 0x82]),
          Buffer.from('@example.test","password":"tangerine-bicycle-42"}'),
        ]),
      ),
    ],
    [
      'a UTF-16 body',
      json('/v1/users', Buffer.from('{"email":"a@example.test"}', 'utf16le'), {
        'content-type': 'application/json; charset=utf-16',
      }),
    ],
    [
      'a 95 KB string where 254 characters are allowed',
      json(
        '/v1/users',
        JSON.stringify({
          email: `${'e'.repeat(95_000)}@example.test`,
          password: 'tangerine-bicycle-42',
        }),
      ),
    ],
    [
      '5,000 keys in one body',
      json(
        '/v1/users',
        JSON.stringify(Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i]))),
      ),
    ],
    [
      'a 20,000-item array of order lines',
      json(
        '/v1/orders',
        JSON.stringify({
          items: Array.from({ length: 20_000 }, () => ({ productId: randomUUID(), quantity: 1 })),
        }).slice(0, 99_000),
        bearer,
      ),
    ],
    ['a 100 KB query string', { method: 'GET', path: `/v1/products?q=${'q'.repeat(100_000)}` }],
    [
      '5,000 repeated query parameters',
      { method: 'GET', path: `/v1/products?${'sort=name&'.repeat(5_000)}` },
    ],
    [
      'a 64 KB header',
      { method: 'GET', path: '/v1/products', headers: { 'x-padding': 'h'.repeat(65_536) } },
    ],
    [
      '300 headers',
      {
        method: 'GET',
        path: '/v1/products',
        headers: Object.fromEntries(
          Array.from({ length: 300 }, (_, i) => [`x-h${i}`, 'v'.repeat(100)]),
        ),
      },
    ],
    [
      'a 16 KB bearer token',
      {
        method: 'GET',
        path: '/v1/orders',
        headers: { authorization: `Bearer ${'t'.repeat(16_384)}` },
      },
    ],
    ['a 2 KB path segment', { method: 'GET', path: `/v1/products/${'p'.repeat(2_048)}` }],
  ];
}

describe(`abuse (${modeTitle()})`, () => {
  let cast: SecurityShop;
  let traffic: ObservedTraffic;
  const probeLatencies: number[] = [];
  const verdicts: string[] = [];

  beforeAll(async () => {
    cast = await openSecurityShop({ THROTTLE_LIMIT: String(THROTTLE_LIMIT) });
    traffic = new ObservedTraffic(cast.shop.app.baseUrl);
  }, OPEN_SHOP_BUDGET_MS);

  afterAll(async () => {
    await cast?.shop.close();
    const sorted = [...probeLatencies].sort((a, b) => a - b);
    recordSecurityResult(
      13,
      'Abuse',
      [
        `${abusiveRequests('x').length} kinds of abusive request (bodies over the limit, JSON ` +
          'nested tens of thousands deep, invalid and truncated UTF-8, UTF-16, huge strings, ' +
          'key counts and arrays, 100 KB query strings, thousands of parameters, 64 KB and ' +
          `300 headers, a 16 KB token), ${ROUNDS} rounds, ${CONCURRENCY} in flight, while a ` +
          "probe asked each app's liveness every 100 ms; then a client rotating " +
          `X-Forwarded-For on one route with a limit of ${THROTTLE_LIMIT} a minute.`,
        '',
        ...verdicts,
        traffic?.summary() ?? '',
        `- liveness probes during the abuse: ${sorted.length}, p99 ${percentile(sorted, 0.99).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms`,
      ].join('\n'),
    );
  });

  const outcome = (answer: ObservedResponse): string =>
    `${describeRequest(answer.request)}\n=> ${answer.status === 0 ? `no answer: ${answer.failure}` : answer.status} ${answer.text.slice(0, 200)}`;

  it('refuses every abusive request with a 4xx while the apps keep answering their probes', async () => {
    const app = cast.shop.app;
    const probed = [
      ...new Set((['identity', 'catalog', 'orders'] as const).map((context) => app.urlOf(context))),
    ];
    let abusing = true;
    const probeFailures: string[] = [];
    const probing = (async () => {
      while (abusing) {
        for (const url of probed) {
          const started = performance.now();
          try {
            const response = await fetch(`${url}/health/live`, {
              signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
            });
            await response.text();
            if (response.status !== 200) probeFailures.push(`${url}: ${response.status}`);
          } catch (error) {
            probeFailures.push(`${url}: ${(error as Error).message}`);
          }
          probeLatencies.push(performance.now() - started);
        }
        await sleep(100);
      }
    })();

    const kinds = abusiveRequests(cast.attacker.token);
    // Each on a connection of its own, as an attacker sends them: the server closes a connection
    // after refusing a request it did not read to the end, and one abusive request must not be
    // judged by what the refusal of another did to a shared connection.
    const requests = Array.from({ length: ROUNDS }, () =>
      abusiveRequests(cast.attacker.token).map(([, request]) => ({
        ...request,
        headers: { ...request.headers, connection: 'close' },
      })),
    ).flat();
    const answers = await traffic.sendAll(requests, CONCURRENCY);
    abusing = false;
    await probing;

    const wrong = answers.filter((answer) => answer.status < 400 || answer.status >= 500);
    expect(wrong.map(outcome)).toEqual([]);
    // Refused by whoever refused it (a handler, the router, the HTTP parser or the gateway), each
    // answer is still a problem+json with the security headers.
    const unmarked = answers
      .map((answer) => [answer, refusalProblems(answer)] as const)
      .filter(([, problems]) => problems.length > 0)
      .map(([answer, problems]) => `${outcome(answer)}\n   ${problems.join('; ')}`);
    expect(unmarked).toEqual([]);
    expect(probeFailures).toEqual([]);
    expect(probeLatencies.length).toBeGreaterThan(0);
    expect(app.logs()).not.toContain('Maximum call stack size exceeded');
    const byKind = kinds.map(([name], index) => {
      const statuses = new Set(
        answers.filter((_, i) => i % kinds.length === index).map((a) => a.status),
      );
      return `  - ${name}: ${[...statuses].join(', ')}`;
    });
    verdicts.push(
      '- every abusive request answered 4xx, as problem+json with the security headers:',
      ...byKind,
    );
  });

  it('gives a client rotating X-Forwarded-For no throttle bucket of its own', async () => {
    const product = `/v1/products/${cast.product.id}`;
    const requests = Array.from({ length: THROTTLE_LIMIT + 40 }, (_, i) => ({
      method: 'GET',
      path: product,
      headers: {
        'x-forwarded-for': `203.0.${Math.floor(i / 250)}.${(i % 250) + 1}`,
        'x-real-ip': `198.51.100.${(i % 250) + 1}`,
      },
    }));
    const answers = await traffic.sendAll(requests, 4);
    const served = answers.filter((answer) => answer.status === 200).length;
    const throttled = answers.filter((answer) => answer.status === 429).length;

    // Every forged address shares the one bucket of the real client: at most the limit is served.
    expect(served).toBeLessThanOrEqual(THROTTLE_LIMIT);
    expect(throttled).toBeGreaterThanOrEqual(40);
    expect(answers.filter((answer) => answer.status !== 200 && answer.status !== 429)).toEqual([]);
    verdicts.push(
      `- ${requests.length} requests with ${requests.length} different X-Forwarded-For ` +
        `addresses${e2eMode() === 'split' ? ' through the gateway' : ''}: ${served} served, ` +
        `${throttled} answered 429 (limit ${THROTTLE_LIMIT})`,
    );
  });
});
