import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  copyFileSync,
  existsSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { get as httpGet } from 'node:http';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The pieces of split mode that `npm run start:split` (start-split.ts) and the split e2e run
// (test/support/split-stack.ts) share: which apps exist, where their built entry points are, and
// the NGINX gateway rendered from docker/nginx/split-gateway.conf.template.

/** The repository root, whether this file runs from scripts/ (tests) or dist/scripts/ (built). */
function findRepoRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('split-stack: no package.json above this file');
    directory = parent;
  }
  return directory;
}

export const REPO_ROOT = findRepoRoot();
const NGINX_DIRECTORY = resolve(REPO_ROOT, 'docker/nginx');

/** The five apps of split mode, in start order. */
export const SPLIT_APPS = ['identity', 'catalog', 'orders', 'payments', 'notifications'] as const;
export type SplitApp = (typeof SPLIT_APPS)[number];

/** The built entry point of an app: its HTTP app (`main`) or its migration command. */
export const appEntry = (app: SplitApp | 'monolith', script: 'main' | 'migrate' = 'main'): string =>
  resolve(REPO_ROOT, `dist/apps/${app}/src/${script}.js`);

/** `host:port` of each app, for the gateway's upstreams. */
export type Upstreams = Record<SplitApp, string>;

/**
 * Fills the template's `${NAME}` placeholders. A placeholder outside a comment without a value is
 * an error, so a renamed variable cannot yield a gateway that routes to nowhere.
 */
export function renderGatewayConfig(port: number, upstreams: Upstreams): string {
  const values = new Map<string, string>([['GATEWAY_PORT', String(port)]]);
  for (const app of SPLIT_APPS) values.set(`${app.toUpperCase()}_UPSTREAM`, upstreams[app]);
  const template = readFileSync(join(NGINX_DIRECTORY, 'split-gateway.conf.template'), 'utf8');
  return template
    .split('\n')
    .map((line) =>
      line.trimStart().startsWith('#')
        ? line
        : line.replace(/\$\{([A-Z_]+)\}/g, (_placeholder, name: string) => {
            const value = values.get(name);
            if (value === undefined) {
              throw new Error(`split-gateway.conf.template: no value for \${${name}}`);
            }
            return value;
          }),
    )
    .join('\n');
}

/**
 * The nginx the gateway runs: SPLIT_GATEWAY_NGINX when set, else Debian's place (/usr/sbin, which
 * is not on every user's PATH), /usr/local/sbin, then whatever PATH finds.
 */
export function nginxCommand(): string {
  const chosen = process.env.SPLIT_GATEWAY_NGINX;
  if (chosen) return chosen;
  for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx']) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there: try the next place, then PATH
    }
  }
  return 'nginx';
}

/**
 * Why nginxCommand() cannot run (not installed, not executable), or undefined when `nginx -v`
 * answers: checked before anything starts, so a missing gateway is one clear line, not a crash
 * after five apps were started.
 */
export function nginxUnavailable(command = nginxCommand()): string | undefined {
  const probe = spawnSync(command, ['-v'], { stdio: 'ignore', timeout: 10_000 });
  if (probe.error) return `${command}: ${probe.error.message}`;
  if (probe.status !== 0) return `${command} -v exited with ${probe.status ?? probe.signal}`;
  return undefined;
}

export interface GatewayOptions {
  /**
   * Replaces the per-IP limit of gateway-common.conf (requests/s, and the burst beyond it) in this
   * gateway's copy: the e2e suites send bursts from one address that the apps' own limits govern.
   */
  readonly perIpLimit?: { readonly ratePerSecond: number; readonly burst: number };
}

/**
 * Writes the rendered gateway and the snippets it includes into `directory` (nginx's prefix: its
 * pid file and temporary files go there too) and spawns nginx in the foreground. The caller owns
 * the child: SIGTERM stops it.
 */
export function spawnGateway(
  directory: string,
  port: number,
  upstreams: Upstreams,
  { perIpLimit }: GatewayOptions = {},
): ChildProcess {
  const config = join(directory, 'nginx.conf');
  let rendered = renderGatewayConfig(port, upstreams);
  // nginx cannot open /dev/stdout when it is a socket (as Node's piped stdio is): the access log
  // of a local gateway goes to a file in its directory instead (gatewayAccessLog).
  let common = readFileSync(join(NGINX_DIRECTORY, 'gateway-common.conf'), 'utf8').replace(
    /access_log \/dev\/stdout\b/,
    `access_log ${gatewayAccessLog(directory)}`,
  );
  if (perIpLimit) {
    common = common.replace(/\brate=\d+r\/s/, `rate=${perIpLimit.ratePerSecond}r/s`);
    rendered = rendered.replace(/\bburst=\d+/g, `burst=${perIpLimit.burst}`);
  }
  writeFileSync(config, rendered);
  writeFileSync(join(directory, 'gateway-common.conf'), common);
  copyFileSync(
    join(NGINX_DIRECTORY, 'gateway-errors.conf'),
    join(directory, 'gateway-errors.conf'),
  );
  // Started as root, nginx runs its workers as an unprivileged user, who must reach the
  // temporary-file folders nginx creates in here (a fresh temporary directory is 0700).
  chmodSync(directory, 0o755);
  const globals = `daemon off; pid ${join(directory, 'nginx.pid')};`;
  return spawn(nginxCommand(), ['-e', 'stderr', '-p', directory, '-c', config, '-g', globals], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The access log of a gateway started by spawnGateway in `directory`. */
export const gatewayAccessLog = (directory: string): string => join(directory, 'access.log');

/** Whether nothing listens on `host:port` yet. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, host, () => server.close(() => done(true)));
  });
}

/**
 * Polls `url` until it answers 200; false when the deadline passes or `stopped()` says so. Each
 * poll opens its own connection and closes it with the answer: a probe leaves no idle connection
 * behind for a stopping app to wait for.
 */
export async function waitForOk(
  url: string,
  {
    timeoutMs = 30_000,
    stopped = () => false,
  }: { timeoutMs?: number; stopped?: () => boolean } = {},
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopped()) {
    if ((await statusOf(url)) === 200) return true;
    await new Promise((wait) => setTimeout(wait, 100));
  }
  return false;
}

/** One GET on a connection of its own; undefined while nothing answers. */
function statusOf(url: string): Promise<number | undefined> {
  return new Promise((done) => {
    const request = httpGet(url, { agent: false, timeout: 5_000 }, (response) => {
      response.resume();
      response.once('end', () => done(response.statusCode));
      response.once('error', () => done(undefined));
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => done(undefined));
  });
}
