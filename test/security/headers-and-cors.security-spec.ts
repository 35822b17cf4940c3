import { randomUUID } from 'node:crypto';
import { e2eMode } from '../support/e2e-mode.js';
import { describeRequest, ObservedTraffic } from './observed-traffic.js';
import { sendRaw } from './raw-http.js';
import {
  appUrls,
  documentedOperations,
  modeTitle,
  openSecurityShop,
  type SecurityShop,
  recordSecurityResult,
  OPEN_SHOP_BUDGET_MS,
} from './security-shop.js';
import { headerProblems, REQUIRED_HEADERS, refusalProblems } from './security-headers.js';

// Suite 14 (issue 9): the security headers on every answer (every documented operation, its
// errors, the gateway's own answers, the docs), and CORS granted to listed origins only.

const ALLOWED_ORIGIN = 'https://shop.example';
const REFUSED_ORIGINS = [
  'https://evil.example',
  'null',
  'https://shop.example.evil.example',
  'http://shop.example',
  'https://shop.example:8443',
  'https://evilshop.example',
];

/** An error the handlers answer: what it sends, and as whom. */
interface ErrorCase {
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly customer?: boolean;
}

/** Requests the gateway refuses while reading them, before any app sees them. */
const GATEWAY_REFUSALS: readonly (readonly [string, ErrorCase])[] = [
  [
    'headers over the gateway buffers (431)',
    { method: 'GET', path: '/v1/products', headers: { 'x-padding': 'h'.repeat(20_000) } },
  ],
  [
    'a URI over the gateway buffers (414)',
    { method: 'GET', path: `/v1/products?q=${'q'.repeat(20_000)}` },
  ],
  ['a NUL byte in the path (400)', { method: 'GET', path: '/v1/products/%00' }],
];

/**
 * Requests Fastify or Node's HTTP parser refuses before Nest (its filters) or helmet's hook see
 * them, as raw bytes sent straight to an app (the gateway would refuse some first). Each must
 * still be a problem+json with every security header. Bodies are parsed once the route is found:
 * these go to the app that serves POST /v1/users.
 */
const BODY_REFUSALS: readonly (readonly [string, number, string])[] = [
  [
    'malformed JSON',
    400,
    'POST /v1/users HTTP/1.1\r\nhost: app\r\ncontent-type: application/json\r\n' +
      'content-length: 5\r\nconnection: close\r\n\r\n{"a":',
  ],
  [
    'an unsupported media type',
    415,
    'POST /v1/users HTTP/1.1\r\nhost: app\r\ncontent-type: text/xml\r\n' +
      'content-length: 4\r\nconnection: close\r\n\r\n<a/>',
  ],
  [
    // Refused on its declared length, before the body is read (none is sent).
    'a body over the limit',
    413,
    'POST /v1/users HTTP/1.1\r\nhost: app\r\ncontent-type: application/json\r\n' +
      'content-length: 50000000\r\nconnection: close\r\n\r\n',
  ],
];

/** Refused by the router or the HTTP parser before any route: sent to every app. */
const PARSER_REFUSALS: readonly (readonly [string, number, string])[] = [
  [
    'a path that is not valid percent-encoding',
    400,
    'GET /v1/products/%E0%A4%A HTTP/1.1\r\nhost: app\r\nconnection: close\r\n\r\n',
  ],
  [
    'headers over the parser limit',
    431,
    `GET /v1/products HTTP/1.1\r\nhost: app\r\nx-padding: ${'h'.repeat(20_000)}\r\n\r\n`,
  ],
  ['an invalid request line', 400, 'BREW /v1/products HTTP/1.1\r\nhost: app\r\n\r\n'],
  ['a malformed header line', 400, 'GET /v1/products HTTP/1.1\r\nbad header\r\n\r\n'],
  ['an unknown HTTP version', 400, 'GET /v1/products HTTP/7.3\r\nhost: app\r\n\r\n'],
];

describe(`security headers and CORS (${modeTitle()})`, () => {
  let cast: SecurityShop;
  let traffic: ObservedTraffic;
  const verdicts: string[] = [];

  beforeAll(async () => {
    cast = await openSecurityShop({ HTTP_CORS_ORIGINS: ALLOWED_ORIGIN });
    traffic = new ObservedTraffic(cast.shop.app.baseUrl);
  }, OPEN_SHOP_BUDGET_MS);

  afterAll(async () => {
    await cast?.shop.close();
    recordSecurityResult(
      14,
      'Security headers and CORS',
      [
        'Every documented operation (as its caller and anonymously), error answers (401, 403, ' +
          '404, 400, 413, 415; in split mode also the gateway’s own 400, 414 and 431), the ' +
          'refusals of each app’s router and HTTP parser (bad percent-encoding, invalid request ' +
          'lines, headers over the limit: problem+json too) and the ' +
          'OpenAPI UI and document checked for ' +
          `${Object.keys(REQUIRED_HEADERS).join(', ')}, no X-Powered-By and no server version; ` +
          `CORS preflights and simple requests from ${ALLOWED_ORIGIN} (listed) and from ` +
          `${REFUSED_ORIGINS.length} look-alike or foreign origins (not listed).`,
        '',
        ...verdicts,
        traffic?.summary() ?? '',
      ].join('\n'),
    );
  });

  const documentedRequests = async (): Promise<
    { method: string; path: string; token?: string }[]
  > => {
    const ids: Record<string, string> = {
      '/v1/users/{id}/roles': cast.attacker.id,
      '/v1/products/{id}': cast.product.id,
      '/v1/orders/{id}': cast.victimOrder.id,
      '/v1/orders/{id}/cancel': cast.attackerOrder.id,
      '/v1/orders/{id}/ship': cast.attackerOrder.id,
    };
    // Deleting one's own account is tried by a customer who is there for that alone: the cast
    // must outlive the test (the second call then answers 401, its headers checked as well).
    const leaving = await cast.shop.registerCustomer('headers-leaving');
    return (await documentedOperations(cast.shop.app)).flatMap(({ method, pathTemplate }) => {
      const path = pathTemplate.replace('{id}', ids[pathTemplate] ?? randomUUID());
      const query = pathTemplate === '/v1/payments' ? `?orderId=${cast.victimOrder.id}` : '';
      const deletesCaller = method === 'DELETE' && pathTemplate === '/v1/users/me';
      // As the owner (or admin), then anonymously: the success and the 401.
      return [
        {
          method,
          path: `${path}${query}`,
          token: deletesCaller ? leaving.token : cast.victim.token,
        },
        {
          method,
          path: `${path}${query}`,
          token: deletesCaller ? leaving.token : cast.shop.adminToken,
        },
        { method, path: `${path}${query}` },
      ];
    });
  };

  it('sends the security headers on every documented operation, whoever calls', async () => {
    const requests = await documentedRequests();
    const answers = await traffic.sendAll(
      requests.map(({ method, path, token }) => ({
        method,
        path,
        headers: {
          ...(token !== undefined && { authorization: `Bearer ${token}` }),
          ...(method !== 'GET' && { 'content-type': 'application/json' }),
          'idempotency-key': randomUUID(),
        },
        body: method === 'GET' ? undefined : '{}',
      })),
      4,
    );
    const missing = answers
      .map((answer) => [answer, headerProblems(answer)] as const)
      .filter(([, problems]) => problems.length > 0)
      .map(
        ([answer, problems]) =>
          `${describeRequest(answer.request)}\n=> ${answer.status}: ${problems.join('; ')}`,
      );
    expect(missing).toEqual([]);
    const statuses = [...new Set(answers.map((answer) => answer.status))].sort();
    verdicts.push(
      `- ${answers.length} answers to every documented operation (statuses ${statuses.join(', ')}): all headers present`,
    );
  });

  it.each<readonly [string, ErrorCase]>([
    ['an unknown route (404)', { method: 'GET', path: '/v1/nothing-here' }],
    ['a path outside the API (404)', { method: 'GET', path: '/wp-admin/setup.php' }],
    ['a method the route lacks', { method: 'PUT', path: '/v1/products' }],
    [
      'malformed JSON (400)',
      {
        method: 'POST',
        path: '/v1/users',
        headers: { 'content-type': 'application/json' },
        body: '{"a":',
      },
    ],
    [
      'an unsupported media type (415)',
      { method: 'POST', path: '/v1/users', headers: { 'content-type': 'text/xml' }, body: '<a/>' },
    ],
    [
      'a body over the limit (413)',
      {
        method: 'POST',
        path: '/v1/users',
        headers: { 'content-type': 'application/json' },
        body: `"${'x'.repeat(300_000)}"`,
      },
    ],
    ['a forbidden admin route (403)', { method: 'GET', path: '/v1/users', customer: true }],
    ['a missing token (401)', { method: 'GET', path: '/v1/orders' }],
    ...(e2eMode() === 'split' ? GATEWAY_REFUSALS : []),
  ])('sends the security headers on %s', async (_, request) => {
    const answer = await traffic.send({
      method: request.method,
      path: request.path,
      headers: {
        ...request.headers,
        ...(request.customer === true && { authorization: `Bearer ${cast.victim.token}` }),
      },
      body: request.body,
    });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(headerProblems(answer)).toEqual([]);
  });

  const expectProblemRefusal = async (url: string, status: number, request: string) => {
    const answer = await sendRaw(url, request);
    expect(`${url} ${answer.status}`).toBe(`${url} ${status}`);
    expect(refusalProblems(answer)).toEqual([]);
  };

  it.each(BODY_REFUSALS)(
    'answers %s with a %d problem+json and the security headers, straight from the app',
    async (_, status, request) => {
      await expectProblemRefusal(cast.shop.app.urlOf('identity'), status, request);
    },
  );

  it.each(PARSER_REFUSALS)(
    "answers %s with a %d problem+json and the security headers, from every app's own parser",
    async (_, status, request) => {
      const urls = appUrls(cast.shop.app);
      for (const url of urls) await expectProblemRefusal(url, status, request);
      if (request === PARSER_REFUSALS.at(-1)?.[2]) {
        verdicts.push(
          `- ${BODY_REFUSALS.length + PARSER_REFUSALS.length} kinds of request refused by the ` +
            `body parser, the router or the HTTP parser, sent straight to ${urls.length} app(s): ` +
            'all problem+json with every header',
        );
      }
    },
  );

  it('sends the security headers on the OpenAPI UI and document of every app', async () => {
    // Each app serves its docs itself (the gateway publishes none, ADR 0027).
    const urls = appUrls(cast.shop.app);
    for (const url of urls) {
      for (const path of ['/docs', '/docs/openapi.json']) {
        const answer = await new ObservedTraffic(url).send({ method: 'GET', path });
        expect(`${url}${path} ${answer.status}`).toBe(`${url}${path} 200`);
        expect(headerProblems(answer)).toEqual([]);
      }
    }
    verdicts.push(`- the OpenAPI UI and document of ${urls.length} app(s): all headers present`);
  });

  const preflight = (origin: string, path = '/v1/orders') =>
    traffic.send({
      method: 'OPTIONS',
      path,
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });

  it('grants CORS to the listed origin, preflight and actual request', async () => {
    const allowed = await preflight(ALLOWED_ORIGIN);
    expect(allowed.status).toBeLessThan(300);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    const actual = await traffic.send({
      method: 'GET',
      path: '/v1/orders',
      headers: { origin: ALLOWED_ORIGIN, authorization: `Bearer ${cast.victim.token}` },
    });
    expect(actual.status).toBe(200);
    expect(actual.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(actual.headers.get('vary')).toMatch(/origin/i);
  });

  it.each(REFUSED_ORIGINS)(
    'grants no CORS to %s, on preflights, reads and errors',
    async (origin) => {
      const answers = [
        await preflight(origin),
        await preflight(origin, '/v1/auth/token'),
        await traffic.send({ method: 'GET', path: '/v1/products', headers: { origin } }),
        await traffic.send({
          method: 'GET',
          path: '/v1/orders',
          headers: { origin, authorization: `Bearer ${cast.victim.token}` },
        }),
        await traffic.send({ method: 'GET', path: '/v1/nothing-here', headers: { origin } }),
      ];
      for (const answer of answers) {
        expect(
          `${describeRequest(answer.request)} => ${answer.headers.get('access-control-allow-origin')}`,
        ).toMatch(/ => null$/);
        expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
      }
      if (origin === REFUSED_ORIGINS.at(-1)) {
        verdicts.push(
          `- CORS: ${ALLOWED_ORIGIN} granted; ${REFUSED_ORIGINS.length} other origins refused on ` +
            `preflights, reads and errors${e2eMode() === 'split' ? ' (through the gateway)' : ''}`,
        );
      }
    },
  );
});
