import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentedVariables, readRepoFile } from './support/repository.js';
import { NGINX, runTool } from './support/required-tool.js';

const config = readRepoFile('docker/nginx/nginx.conf');

/** The body of `location <path> { ... }` (the gateway's locations hold no nested blocks). */
function location(path: string): string {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`location\\s+${escaped}\\s*\\{([^}]*)\\}`).exec(config);
  if (!match) throw new Error(`nginx.conf has no location ${path}`);
  return match[1];
}

const directive = (name: string): string | undefined =>
  new RegExp(`^\\s*${name}\\s+([^;]+);`, 'm').exec(config)?.[1].trim();

describe('docker/nginx/nginx.conf', () => {
  it('is a configuration nginx accepts (nginx -t)', () => {
    // nginx -t resolves upstream hosts and opens log files. The hosts exist only on the compose
    // network and the test's stdout is no device nginx can open, so the copy under test points
    // the upstreams at the loopback address and the logs at files.
    const directory = mkdtempSync(join(tmpdir(), 'nginx-config-'));
    try {
      const file = join(directory, 'nginx.conf');
      const testable = config
        .replace(/(\bserver\s+)[a-z][\w-]*(:\d+;)/g, '$1127.0.0.1$2')
        .replace(/\/dev\/std(out|err)\b/g, `${directory}/std$1.log`);
      writeFileSync(file, testable);
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
      expect({ status: run.status, output: run.output }).toEqual({ status: 0, output: '' });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('routes the API, the JWKS and the docs to the app under the per-IP rate limit', () => {
    for (const path of ['/v1/', '/.well-known/', '/docs']) {
      const body = location(path);
      expect({ path, proxy: /proxy_pass\s+http:\/\/monolith;/.test(body) }).toEqual({
        path,
        proxy: true,
      });
      expect({ path, limited: /limit_req\s+zone=per_ip\b/.test(body) }).toEqual({
        path,
        limited: true,
      });
    }
    expect(config).not.toMatch(/location\s+[^{]*\/(health|metrics)/);
  });

  it('rate-limits per client address and answers the excess with 429', () => {
    expect(directive('limit_req_zone')).toMatch(
      /^\$binary_remote_addr zone=per_ip:\d+m rate=\d+r\/s$/,
    );
    expect(directive('limit_req_status')).toBe('429');
  });

  it('forwards the client address, scheme and host, and a request id it reuses or generates', () => {
    for (const header of [
      'X-Forwarded-For',
      'X-Forwarded-Proto',
      'X-Forwarded-Host',
      'X-Real-IP',
    ]) {
      expect(config).toMatch(new RegExp(`proxy_set_header\\s+${header}\\s+\\$`));
    }
    expect(directive('proxy_set_header X-Request-Id')).toBe('$correlation_id');
    expect(config).toMatch(
      /map\s+\$http_x_request_id\s+\$correlation_id\s*\{[^}]*default\s+\$request_id;/,
    );
  });

  it('accepts bodies up to the size the app accepts and no larger', () => {
    const appLimit = Number(documentedVariables().get('HTTP_BODY_LIMIT_BYTES'));
    const [, amount, unit] = /^(\d+)([km]?)$/.exec(directive('client_max_body_size') ?? '') ?? [];
    const multiplier = { '': 1, k: 1024, m: 1024 * 1024 }[unit as '' | 'k' | 'm'];
    expect(Number(amount) * multiplier).toBe(appLimit);
  });
});
