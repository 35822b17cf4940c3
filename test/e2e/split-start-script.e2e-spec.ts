import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { REPO_ROOT, SPLIT_APPS } from '../../scripts/split-stack/split-stack.js';
import { createTestVhost, deleteTestVhost, rabbitmqUrl } from '../support/rabbitmq-vhost.js';
import { freePort, spawnProcess, type SpawnedProcess } from '../support/spawned-process.js';
import { testDatabaseReady } from '../support/test-database.js';
import { testAppEnvironment, uniqueEmail } from '../support/test-environment.js';

// `npm run start:split` after the build, as a developer runs it (e2e-split project only: the e2e
// project ignores test/e2e/split-*). Ports come from SPLIT_GATEWAY_PORT / SPLIT_FIRST_APP_PORT,
// so the test does not need the documented ones to be free.

const START_SPLIT = resolve(REPO_ROOT, 'dist/scripts/split-stack/start-split.js');
const PASSWORD = 'correct horse battery staple';

/** Six consecutive free ports would be luck; a random base in a quiet range, checked by the script. */
const portBase = (): number => 20_000 + Math.floor(Math.random() * 400) * 10;

/** The script sets SERVICE_NAME and the ports of each app itself; the rest comes from here. */
const startSplit = (env: Record<string, string>): SpawnedProcess =>
  spawnProcess(
    process.execPath,
    [START_SPLIT],
    { PATH: process.env.PATH ?? '', ...testAppEnvironment(env) },
    REPO_ROOT,
  );

/** start-split on free ports with `env` on top; resolves to its output once it exited with 1. */
async function refusalOf(env: Record<string, string>): Promise<string> {
  const script = startSplit({
    SPLIT_GATEWAY_PORT: String(await freePort()),
    SPLIT_FIRST_APP_PORT: String(portBase()),
    ...env,
  });
  expect(await script.exited).toBe(1);
  return script.logs();
}

describe('npm run start:split', () => {
  it('refuses to start when a port it needs is taken, and says which', async () => {
    const taken: Server = createServer().listen(await freePort(), '127.0.0.1');
    await once(taken, 'listening');
    const address = taken.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const script = startSplit({
        SPLIT_GATEWAY_PORT: String(port),
        SPLIT_FIRST_APP_PORT: String(portBase()),
      });
      expect(await script.exited).toBe(1);
      expect(script.logs()).toContain(`port ${port} (gateway) is taken`);
    } finally {
      taken.close();
    }
  });

  it('refuses a gateway limit that is not a positive whole number, naming the setting', async () => {
    const logs = await refusalOf({ SPLIT_GATEWAY_RATE_PER_IP: '20r/s' });
    expect(logs).toContain('SPLIT_GATEWAY_RATE_PER_IP must be a positive whole number');
  });

  it('refuses to start without an nginx it can run, before migrating or starting anything', async () => {
    const logs = await refusalOf({ SPLIT_GATEWAY_NGINX: '/nonexistent/sbin/nginx' });
    expect(logs).toContain(
      'the gateway needs nginx, which cannot run (/nonexistent/sbin/nginx: spawnSync /nonexistent/sbin/nginx ENOENT)',
    );
    expect(logs).toContain('SPLIT_GATEWAY_NGINX');
    expect(logs).not.toContain('migrate]');
  });

  it('migrates, starts the five apps and the gateway, serves the walk-through, and stops everything on SIGTERM', async () => {
    await testDatabaseReady();
    const vhost = await createTestVhost();
    const gatewayPort = await freePort();
    const firstAppPort = portBase();
    const script = startSplit({
      RABBITMQ_URL: rabbitmqUrl(vhost),
      SPLIT_GATEWAY_PORT: String(gatewayPort),
      SPLIT_FIRST_APP_PORT: String(firstAppPort),
    });
    const gateway = `http://127.0.0.1:${gatewayPort}`;
    try {
      // The script says when every app is ready, not only the gateway.
      const readyLine = `ready: the gateway answers on ${gateway}`;
      const deadline = Date.now() + 120_000;
      while (!script.logs().includes(readyLine) && !script.hasExited() && Date.now() < deadline) {
        await new Promise((wait) => setTimeout(wait, 200));
      }
      // Not ready: the script's last lines say why (an app that crashed, a port taken meanwhile).
      const ready = script.logs().includes(readyLine);
      const lastLines = ready ? [] : script.logs().split('\n').slice(-40);
      expect({ ready, lastLines }).toEqual({ ready: true, lastLines: [] });
      expect(script.logs()).toMatch(/^\[identity migrate\] +identity/m);

      const email = uniqueEmail('walkthrough');
      const registered = await fetch(`${gateway}/v1/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      expect(registered.status).toBe(201);
      const tokens = await fetch(`${gateway}/v1/auth/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'password', username: email, password: PASSWORD }),
      });
      const { access_token: access } = (await tokens.json()) as { access_token: string };
      const me = await fetch(`${gateway}/v1/users/me`, {
        headers: { authorization: `Bearer ${access}` },
      });
      expect(((await me.json()) as { email: string }).email).toBe(email);
      // Another app behind the same gateway accepts identity's token.
      const orders = await fetch(`${gateway}/v1/orders`, {
        headers: { authorization: `Bearer ${access}` },
      });
      expect(orders.status).toBe(200);

      script.child.kill('SIGTERM');
      expect(await script.exited).toBe(0);
      for (const [index] of SPLIT_APPS.entries()) {
        await expect(
          fetch(`http://127.0.0.1:${firstAppPort + index}/health/live`),
        ).rejects.toThrow();
      }
      await expect(fetch(`${gateway}/nginx-health`)).rejects.toThrow();
    } finally {
      // SIGTERM, not SIGKILL: the script then stops its apps and gateway instead of orphaning them.
      await script.stop();
      await deleteTestVhost(vhost);
    }
  });
});
