import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderGatewayConfig, SPLIT_APPS } from '../../../scripts/split-stack/split-stack.js';
import { documentedVariables, readRepoFile, repoPath } from './support/repository.js';
import { NGINX, runTool } from './support/required-tool.js';

const common = readRepoFile('docker/nginx/gateway-common.conf');
const errors = readRepoFile('docker/nginx/gateway-errors.conf');
const monolith = readRepoFile('docker/nginx/nginx.conf');
const LOOPBACK = Object.fromEntries(
  SPLIT_APPS.map((app, index) => [app, `127.0.0.1:${3001 + index}`]),
) as Record<(typeof SPLIT_APPS)[number], string>;
const split = renderGatewayConfig(8080, LOOPBACK);

/** The body of `location <path> { ... }`: up to the first line holding only the closing brace. */
function location(config: string, path: string): string {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`location\\s+${escaped}\\s*\\{([\\s\\S]*?)\\n\\s*\\}\\n`).exec(config);
  if (!match) throw new Error(`no location ${path}`);
  return match[1];
}

const directive = (config: string, name: string): string | undefined =>
  new RegExp(`^\\s*${name}\\s+([^;]+);`, 'm').exec(config)?.[1].trim();

/** nginx -t on a configuration that includes gateway-common.conf from its own directory. */
function nginxAccepts(config: string): { status: number; output: string } {
  // nginx -t resolves upstream hosts and opens log files. The compose hosts exist only on the
  // compose network and the test's stdout is no device nginx can open, so the copy under test
  // points the upstreams at the loopback address and the logs at files.
  const directory = mkdtempSync(join(tmpdir(), 'nginx-config-'));
  const testable = (text: string): string =>
    text
      .replace(/(\bserver\s+)[a-z][\w-]*(:\d+;)/g, '$1127.0.0.1$2')
      .replace(/\/dev\/std(out|err)\b/g, `${directory}/std$1.log`);
  try {
    writeFileSync(join(directory, 'gateway-common.conf'), testable(common));
    writeFileSync(join(directory, 'gateway-errors.conf'), errors);
    const file = join(directory, 'nginx.conf');
    writeFileSync(file, testable(config));
    const pid = `pid ${directory}/nginx.pid;`;
    const run = runTool(NGINX, [
      '-t',
      '-q',
      '-e',
      'stderr',
      '-p',
      directory,
      '-c',
      file,
      '-g',
      pid,
    ]);
    return { status: run.status, output: run.output };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** `/v1/<path>` (or `/<path>` when unversioned) of every HTTP controller, by owning context. */
function contextRoutes(): { context: string; prefix: string }[] {
  const routes: { context: string; prefix: string }[] = [];
  for (const context of SPLIT_APPS) {
    const folder = `libs/${context}/src/controllers`;
    for (const file of readdirSync(repoPath(folder))) {
      if (!file.endsWith('.http.controller.ts')) continue;
      const source = readRepoFile(`${folder}/${file}`);
      const match = /@Controller\(\{\s*path:\s*'([^']+)',\s*version:\s*([^}\s]+)\s*\}\)/.exec(
        source,
      );
      if (!match) throw new Error(`${folder}/${file}: no @Controller({ path, version })`);
      const [, path, version] = match;
      routes.push({ context, prefix: version === "'1'" ? `/v1/${path}` : `/${path}` });
    }
  }
  return routes;
}

/** Which upstream the split gateway sends `path` to, following nginx's regex-then-prefix order. */
function splitUpstreamOf(path: string): string | undefined {
  const blocks = [...split.matchAll(/location\s+(~\s+)?(\S+)\s*\{([\s\S]*?)\n\s*\}\n/g)];
  const regexHit = blocks.find(([, regex, pattern]) => regex && new RegExp(pattern).test(path));
  const prefixHits = blocks
    .filter(([, regex, pattern]) => !regex && !pattern.startsWith('@') && path.startsWith(pattern))
    .sort((a, b) => b[2].length - a[2].length);
  const hit = regexHit ?? prefixHits[0];
  return hit ? /proxy_pass\s+http:\/\/([\w-]+);/.exec(hit[3])?.[1] : undefined;
}

describe('docker/nginx gateways', () => {
  it('are configurations nginx accepts (nginx -t), the monolith one and the split one', () => {
    expect(nginxAccepts(monolith)).toEqual({ status: 0, output: '' });
    expect(nginxAccepts(split)).toEqual({ status: 0, output: '' });
  });

  it('monolith: routes the API, the JWKS and the docs to the app under the per-IP rate limit', () => {
    for (const path of ['/v1/', '/.well-known/', '/docs']) {
      const body = location(monolith, path);
      expect({ path, proxy: /proxy_pass\s+http:\/\/monolith;/.test(body) }).toEqual({
        path,
        proxy: true,
      });
      expect({ path, limited: /limit_req\s+zone=per_ip\b/.test(body) }).toEqual({
        path,
        limited: true,
      });
    }
  });

  it('split: routes every HTTP controller of every context to the app that owns it', () => {
    const routes = contextRoutes();
    expect(routes.map((route) => route.prefix)).toEqual(
      expect.arrayContaining(['/v1/users', '/v1/auth', '/.well-known', '/v1/orders']),
    );
    for (const { context, prefix } of routes) {
      const paths = prefix.startsWith('/v1/') ? [prefix, `${prefix}/some-id`] : [`${prefix}/x`];
      for (const path of paths) {
        expect({ path, upstream: splitUpstreamOf(path) }).toEqual({ path, upstream: context });
      }
    }
    // Neighbouring names are not swallowed by a prefix: /v1/ordersx is nobody's.
    expect(splitUpstreamOf('/v1/ordersx')).toBeUndefined();
    expect(splitUpstreamOf('/v1/usersettings')).toBeUndefined();
  });

  it('split: applies the per-IP limit to every route and answers a down app with problem+json 503', () => {
    expect(directive(split, 'limit_req')).toBe('zone=per_ip burst=40 nodelay');
    expect(directive(split, 'error_page')).toBe('502 504 = @app_unavailable');
    expect(location(split, '@app_unavailable')).toMatch(
      /default_type application\/problem\+json;[\s\S]*return 503 '\{[^']*"code":"SERVICE_UNAVAILABLE"[^']*"dependency":"\$app"/,
    );
    for (const [app, address] of Object.entries(LOOPBACK)) {
      expect(split).toContain(`upstream ${app} {\n    server ${address};`);
    }
  });

  it('answers what NGINX refuses itself (413, 429, unknown paths) as problem+json with the apps’ codes', () => {
    expect(errors).toMatch(/^error_page 413 = @body_too_large;$/m);
    expect(errors).toMatch(/^error_page 429 = @rate_limited;$/m);
    for (const [name, code] of [
      ['@body_too_large', 'PAYLOAD_TOO_LARGE'],
      ['@rate_limited', 'RATE_LIMITED'],
    ]) {
      const body = location(errors, name);
      expect({ name, problem: /default_type application\/problem\+json;/.test(body) }).toEqual({
        name,
        problem: true,
      });
      expect(body).toContain(`"code":"${code}"`);
    }
    for (const config of [monolith, split]) {
      expect(config).toMatch(/^\s*include gateway-errors\.conf;$/m);
      expect(location(config, '/')).toContain('"code":"NOT_FOUND"');
    }
  });

  it('answers malformed requests, long URIs and oversized headers itself as problem+json too', () => {
    expect(errors).toMatch(/^error_page 400 \/gateway-errors\/bad-request;$/m);
    expect(errors).toMatch(/^error_page 414 \/gateway-errors\/uri-too-long;$/m);
    expect(errors).toMatch(/^error_page 494 = @headers_too_large;$/m);
    for (const [name, status, code] of [
      ['= /gateway-errors/bad-request', 400, 'BAD_REQUEST'],
      ['= /gateway-errors/uri-too-long', 414, 'URI_TOO_LONG'],
      ['@headers_too_large', 431, 'HEADERS_TOO_LARGE'],
    ] as const) {
      expect(location(errors, name)).toMatch(
        new RegExp(
          `default_type application/problem\\+json;[\\s\\S]*return ${status} '\\{[^']*"code":"${code}"`,
        ),
      );
    }
  });

  it('sends on every answer NGINX makes itself the security headers the apps send on theirs', () => {
    const ownAnswers = [
      ...[
        '@body_too_large',
        '@rate_limited',
        '= /gateway-errors/bad-request',
        '= /gateway-errors/uri-too-long',
        '@headers_too_large',
      ].map((name) => ['gateway-errors.conf', name, location(errors, name)] as const),
      ['split', '@app_unavailable', location(split, '@app_unavailable')] as const,
      ['split', '/', location(split, '/')] as const,
      ['monolith', '/', location(monolith, '/')] as const,
    ];
    for (const [config, name, body] of ownAnswers) {
      const sent = [...body.matchAll(/add_header\s+([\w-]+)\s/g)].map((match) => match[1]);
      expect({ config, name, sent }).toEqual({
        config,
        name,
        sent: expect.arrayContaining([
          'X-Request-Id',
          'X-Content-Type-Options',
          'X-Frame-Options',
          'Content-Security-Policy',
          'Strict-Transport-Security',
          'Referrer-Policy',
          'Cross-Origin-Resource-Policy',
        ]),
      });
    }
  });

  it('publishes neither the apps’ health nor their metrics', () => {
    for (const config of [monolith, split]) {
      expect(config).not.toMatch(/location\s+[^{]*\/(health|metrics)/);
    }
  });

  it('rate-limits per client address and answers the excess with 429', () => {
    expect(directive(common, 'limit_req_zone')).toMatch(
      /^\$binary_remote_addr zone=per_ip:\d+m rate=\d+r\/s$/,
    );
    expect(directive(common, 'limit_req_status')).toBe('429');
    for (const config of [monolith, split]) {
      expect(config).toMatch(/^\s*include gateway-common\.conf;$/m);
    }
  });

  it('forwards the connection’s address (never a client-sent list), scheme, host and a request id', () => {
    expect(directive(common, 'proxy_set_header X-Forwarded-For')).toBe('$remote_addr');
    expect(common).not.toContain('$proxy_add_x_forwarded_for');
    for (const header of ['X-Forwarded-Proto', 'X-Forwarded-Host', 'X-Real-IP']) {
      expect(common).toMatch(new RegExp(`proxy_set_header\\s+${header}\\s+\\$`));
    }
    expect(directive(common, 'proxy_set_header X-Request-Id')).toBe('$correlation_id');
    expect(common).toMatch(
      /map\s+\$http_x_request_id\s+\$correlation_id\s*\{[^}]*default\s+\$request_id;/,
    );
  });

  it('bounds how long a client or an app may take', () => {
    for (const name of ['proxy_connect_timeout', 'proxy_read_timeout', 'client_body_timeout']) {
      expect({ name, value: directive(common, name) }).toEqual({
        name,
        value: expect.stringMatching(/^\d+s$/),
      });
    }
  });

  it('closes idle connections to an app before a stopping app would close them', () => {
    const appWaitMs = Number(documentedVariables().get('SHUTDOWN_IDLE_CONNECTION_WAIT_MS'));
    const upstreams = [monolith, split].flatMap((config) =>
      [...config.matchAll(/upstream\s+(\w+)\s*\{([^}]*)\}/g)].map(([, name, body]) => ({
        name,
        timeout: directive(body, 'keepalive_timeout'),
      })),
    );
    expect(upstreams.map(({ name }) => name).sort()).toEqual(['monolith', ...SPLIT_APPS].sort());
    for (const { name, timeout } of upstreams) {
      const [, seconds] = /^(\d+)s$/.exec(timeout ?? '') ?? [];
      expect({ name, belowAppWait: Number(seconds) * 1000 < appWaitMs }).toEqual({
        name,
        belowAppWait: true,
      });
    }
  });

  it('accepts bodies up to the size the app accepts and no larger', () => {
    const appLimit = Number(documentedVariables().get('HTTP_BODY_LIMIT_BYTES'));
    const [, amount, unit] =
      /^(\d+)([km]?)$/.exec(directive(common, 'client_max_body_size') ?? '') ?? [];
    const multiplier = { '': 1, k: 1024, m: 1024 * 1024 }[unit as '' | 'k' | 'm'];
    expect(Number(amount) * multiplier).toBe(appLimit);
  });

  it('refuses to render the split gateway with an upstream missing', () => {
    const partial = { ...LOOPBACK, notifications: undefined as unknown as string };
    expect(() => renderGatewayConfig(8080, partial)).toThrow(
      /no value for \$\{NOTIFICATIONS_UPSTREAM\}/,
    );
  });
});
