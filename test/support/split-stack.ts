import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appEntry,
  gatewayAccessLog,
  REPO_ROOT,
  SPLIT_APPS,
  type SplitApp,
  spawnGateway,
  type Upstreams,
  waitForOk,
} from '../../scripts/split-stack/split-stack.js';
import type { RunningApp, StartOptions } from './app-process.js';
import { createTestVhost, deleteTestVhost, rabbitmqUrl } from './rabbitmq-vhost.js';
import { freePort, spawnProcess, type SpawnedProcess, trackProcess } from './spawned-process.js';
import { testDatabaseReady } from './test-database.js';
import { testAppEnvironment } from './test-environment.js';

const readIfPresent = (file: string): string =>
  existsSync(file) ? readFileSync(file, 'utf8') : '';

/** Split mode under test: the five apps, each its own process, behind one NGINX gateway. */
export interface SplitStack extends RunningApp {
  /** Stops one app (SIGTERM by default) and leaves the rest running. */
  stopApp(app: SplitApp, signal?: NodeJS.Signals): Promise<number | null>;
  /** Starts a stopped app again on its port with its environment, and waits until it is ready. */
  restartApp(app: SplitApp): Promise<void>;
  /** Stops the second replica of an app started with `secondReplicaOf`. */
  stopReplica(app: SplitApp, signal?: NodeJS.Signals): Promise<number | null>;
  /** Starts that second replica again on its port, and waits until it is ready. */
  restartReplica(app: SplitApp): Promise<void>;
}

export interface SplitStackOptions extends StartOptions {
  /**
   * Apps that run a second replica (the same SERVICE_NAME, so the same queues, on its own port),
   * both behind the gateway's upstream of that app.
   */
  readonly secondReplicaOf?: readonly SplitApp[];
}

/**
 * Starts the split stack for one test file: a fresh RabbitMQ virtual host, the five built apps on
 * free ports (the same environment overrides for all, the RMQ transport, one trusted proxy hop),
 * then the gateway rendered from docker/nginx/split-gateway.conf.template on another free port.
 * Resolves once every app answers `/health/<waitFor>` and the gateway answers.
 */
export async function startSplitStack(
  overrides: Record<string, string> = {},
  { waitFor = 'ready', timeoutMs = 90_000, secondReplicaOf = [] }: SplitStackOptions = {},
): Promise<SplitStack> {
  await testDatabaseReady();
  const vhost = await createTestVhost();
  const base = testAppEnvironment({
    MESSAGING_TRANSPORT: 'rmq',
    RABBITMQ_URL: rabbitmqUrl(vhost),
    HTTP_TRUST_PROXY: '1',
    // Above the gateway's upstream keepalive_timeout (4 s), as in production: the gateway closes
    // idle connections to a stopping app, never the app while the gateway may send on them.
    SHUTDOWN_IDLE_CONNECTION_WAIT_MS: '4500',
    ...overrides,
  });
  const environments = new Map<SplitApp, Record<string, string>>();
  for (const app of SPLIT_APPS) {
    environments.set(app, {
      PATH: process.env.PATH ?? '',
      ...base,
      // Queues are named after the service: each app its own, replicas of one app share them.
      SERVICE_NAME: `${base.SERVICE_NAME}-${app}`,
      HTTP_PORT: String(await freePort()),
    });
  }
  const replicaEnvironments = new Map<SplitApp, Record<string, string>>();
  for (const app of secondReplicaOf) {
    replicaEnvironments.set(app, {
      ...(environments.get(app) ?? {}),
      HTTP_PORT: String(await freePort()),
    });
  }
  const environmentOf = (app: SplitApp): Record<string, string> => environments.get(app) ?? {};
  const portOf = (app: SplitApp): string => environmentOf(app).HTTP_PORT;
  const urlOf = (app: SplitApp): string => `http://127.0.0.1:${portOf(app)}`;
  const launch = (app: SplitApp, environment = environmentOf(app)): SpawnedProcess =>
    spawnProcess(process.execPath, [appEntry(app)], environment, REPO_ROOT);
  const launchReplica = (app: SplitApp): SpawnedProcess =>
    launch(app, replicaEnvironments.get(app));

  const running = new Map<SplitApp, SpawnedProcess>(SPLIT_APPS.map((app) => [app, launch(app)]));
  const replicas = new Map<SplitApp, SpawnedProcess>(
    secondReplicaOf.map((app) => [app, launchReplica(app)]),
  );
  // The template holds one `server ${<APP>_UPSTREAM};` line per app: a second replica is a second
  // `server` directive inside that value.
  const upstreams = Object.fromEntries(
    SPLIT_APPS.map((app) => {
      const replica = replicaEnvironments.get(app)?.HTTP_PORT;
      const servers = [`127.0.0.1:${portOf(app)}`, ...(replica ? [`127.0.0.1:${replica}`] : [])];
      return [app, servers.join('; server ')];
    }),
  ) as Upstreams;
  const gatewayDirectory = mkdtempSync(join(tmpdir(), 'split-gateway-'));
  const gatewayPort = await freePort();
  // The apps' own limits are what the suites test (THROTTLE_LIMIT...): the coarse per-IP limit of
  // the gateway would see every test request from one address, so it is lifted here.
  const gateway = trackProcess(
    spawnGateway(gatewayDirectory, gatewayPort, upstreams, {
      perIpLimit: { ratePerSecond: 10_000, burst: 10_000 },
    }),
  );

  // Processes stopped and replaced by restartApp/restartReplica: their output explains a failure.
  const retired: SpawnedProcess[] = [];
  const allLogs = (): string =>
    [
      ...retired.map((child) => child.logs()),
      ...SPLIT_APPS.map((app) => running.get(app)?.logs() ?? ''),
      ...[...replicas.values()].map((replica) => replica.logs()),
      gateway.logs(),
      readIfPresent(gatewayAccessLog(gatewayDirectory)),
    ].join('\n');
  const waitUntilAnswering = async (app: SplitApp, replica = false): Promise<void> => {
    const child = replica ? replicas.get(app) : running.get(app);
    const port = replica ? replicaEnvironments.get(app)?.HTTP_PORT : portOf(app);
    const ok = await waitForOk(`http://127.0.0.1:${port}/health/${waitFor}`, {
      timeoutMs,
      stopped: () => child?.hasExited() ?? true,
    });
    if (!ok) throw new Error(`${app} did not become ${waitFor}; output:\n${child?.logs() ?? ''}`);
  };

  const retire = async (child: SpawnedProcess | undefined): Promise<void> => {
    if (child === undefined) return;
    await child.stop();
    retired.push(child);
  };

  let stopping: Promise<number | null> | undefined;
  const stopAll = (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> =>
    (stopping ??= (async () => {
      const codes = await Promise.all(
        [...running.values(), ...replicas.values()].map((child) => child.stop(signal)),
      );
      await gateway.stop('SIGTERM');
      rmSync(gatewayDirectory, { recursive: true, force: true });
      await deleteTestVhost(vhost);
      return codes.find((code) => code !== 0) ?? 0;
    })());

  const stack: SplitStack = {
    baseUrl: `http://127.0.0.1:${gatewayPort}`,
    port: gatewayPort,
    child: gateway.child,
    get exited() {
      return Promise.all([...running.values()].map((child) => child.exited)).then(
        (codes) => codes.find((code) => code !== 0) ?? 0,
      );
    },
    logs: allLogs,
    stop: stopAll,
    urlOf,
    stopApp: (app, signal) => running.get(app)?.stop(signal) ?? Promise.resolve(null),
    restartApp: async (app) => {
      await retire(running.get(app));
      running.set(app, launch(app));
      await waitUntilAnswering(app);
    },
    stopReplica: (app, signal) => replicas.get(app)?.stop(signal) ?? Promise.resolve(null),
    restartReplica: async (app) => {
      await retire(replicas.get(app));
      replicas.set(app, launchReplica(app));
      await waitUntilAnswering(app, true);
    },
  };

  try {
    await Promise.all([
      ...SPLIT_APPS.map((app) => waitUntilAnswering(app)),
      ...secondReplicaOf.map((app) => waitUntilAnswering(app, true)),
    ]);
    const gatewayUp = await waitForOk(`${stack.baseUrl}/nginx-health`, {
      timeoutMs: 10_000,
      stopped: gateway.hasExited,
    });
    if (!gatewayUp) throw new Error(`the gateway did not start; output:\n${gateway.logs()}`);
    return stack;
  } catch (error) {
    await stopAll('SIGKILL');
    throw error;
  }
}
