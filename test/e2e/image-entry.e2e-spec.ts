import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BUNDLED_APPS, bundleApp } from '../../scripts/bundle/bundle-apps.js';
import { fillCompileCache } from '../../scripts/bundle/compile-cache.js';
import { REPO_ROOT, waitForOk } from '../../scripts/split-stack/split-stack.js';
import { parseDockerfile } from '../integration/deploy/support/dockerfile.js';
import { createTestVhost, deleteTestVhost, rabbitmqUrl } from '../support/rabbitmq-vhost.js';
import { freePort, spawnProcess } from '../support/spawned-process.js';
import { testDatabaseReady } from '../support/test-database.js';
import { testAppEnvironment } from '../support/test-environment.js';

// What the image runs, without Docker: the runtime stage's CMD and ENV read from the Dockerfile,
// executed in a folder laid out like the image's /app (the app's bundle in dist/bundle/<app>/ and
// only the packages listed in its runtime-packages.txt under node_modules), so a bundle that
// reaches for anything else fails here. One app at a time, each bundled and started afresh.

const dockerfile = parseDockerfile(readFileSync(join(REPO_ROOT, 'docker/Dockerfile'), 'utf8'));
const runtime = dockerfile.stages[dockerfile.stages.length - 1];
const instruction = (keyword: string): string =>
  runtime.instructions.find((candidate) => candidate.keyword === keyword)?.args ?? '';
const command = JSON.parse(instruction('CMD')) as string[];
/** `ENV A=1 B=${APP} ...` of the runtime stage, with the build argument substituted. */
const imageEnvironment = (app: string): Record<string, string> =>
  Object.fromEntries(
    instruction('ENV')
      .split(' ')
      .map((pair) => pair.split('='))
      .map(([name, value]) => [name, value.replace('${APP}', app)]),
  );

/**
 * Lays out /app as the image's runtime stage does, its compile cache made as the compile-cache
 * stage makes it (by this user, on the bundle at its final path); returns its path.
 */
async function imageFolder(app: (typeof BUNDLED_APPS)[number]): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), `image-${app}-`));
  const bundle = await bundleApp(app, join(root, 'dist/bundle'), ['main']);
  const packages = readFileSync(join(bundle, 'runtime-packages.txt'), 'utf8').split('\n');
  for (const name of packages.filter((line) => line !== '')) {
    const target = join(root, 'node_modules', name);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(join(REPO_ROOT, 'node_modules', name), target, { recursive: true, dereference: true });
  }
  fillCompileCache(join(bundle, 'main.mjs'), join(root, 'compile-cache'));
  return root;
}

/** Node's own account (NODE_DEBUG_NATIVE=COMPILE_CACHE) of the bundle's code coming from the cache. */
const cacheAccepted = (folder: string, app: string, logs: string): boolean =>
  logs.includes(`V8 code cache for ESM file://${folder}/dist/bundle/${app}/main.mjs was accepted`);

describe("each image's entry command, run against the app's bundle", () => {
  let vhost: string;

  beforeAll(async () => {
    await testDatabaseReady();
    vhost = await createTestVhost();
  });

  afterAll(async () => {
    if (vhost) await deleteTestVhost(vhost);
  });

  it('is the shell exec of node on the bundle, under tini', () => {
    expect(instruction('ENTRYPOINT')).toBe('["/sbin/tini", "--"]');
    expect(command).toEqual([
      '/bin/sh',
      '-c',
      'exec node --max-semi-space-size=16 "dist/bundle/${APP}/main.mjs"',
    ]);
  });

  it.each(BUNDLED_APPS)(
    'starts %s, which answers /health/live, turns ready and stops cleanly on SIGTERM',
    async (app) => {
      const folder = await imageFolder(app);
      try {
        const port = await freePort();
        const child = spawnProcess(
          command[0],
          command.slice(1),
          {
            // The image's node is on its PATH; here it is the one running the tests.
            PATH: `${dirname(process.execPath)}:/usr/bin:/bin`,
            NODE_DEBUG_NATIVE: 'COMPILE_CACHE',
            ...imageEnvironment(app),
            ...testAppEnvironment({
              NODE_ENV: 'production',
              HTTP_HOST: '127.0.0.1',
              HTTP_PORT: String(port),
              ...(app === 'monolith'
                ? {}
                : { MESSAGING_TRANSPORT: 'rmq', RABBITMQ_URL: rabbitmqUrl(vhost) }),
            }),
          },
          folder,
        );
        const live = await waitForOk(`http://127.0.0.1:${port}/health/live`, {
          timeoutMs: 45_000,
          stopped: () => child.hasExited(),
        });
        // Stopped once ready: a stop during start-up is split-sigterm-during-start's case.
        const ready =
          live &&
          (await waitForOk(`http://127.0.0.1:${port}/health/ready`, {
            timeoutMs: 30_000,
            stopped: () => child.hasExited(),
          }));
        const code = await child.stop('SIGTERM');
        const fromCache = cacheAccepted(folder, app, child.logs());
        const ok = live && ready && code === 0 && fromCache;
        const output = ok ? '' : child.logs().slice(-3_000);
        expect({ app, live, ready, code, fromCache, output }).toEqual({
          app,
          live: true,
          ready: true,
          code: 0,
          fromCache: true,
          output: '',
        });
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
    // Bundling and a cold start on a busy 2-core machine: each can take tens of seconds.
    120_000,
  );
});
