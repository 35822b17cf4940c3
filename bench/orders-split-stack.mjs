// The split stack for `npm run bench`'s orders-split scenario: what start-split.js (as
// `npm run start:split` runs it: five apps over RabbitMQ, the NGINX gateway) needs to run beside
// everything else on this machine: a database and a RabbitMQ virtual host of its own, removed
// afterwards, ports of its own, and a way to tell when all of it answers. The harness spawns
// start-split.js itself, so that it is pinned and logged like every other server it starts.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { scratchBackends, SPLIT_APPS } from './split-apps.mjs';
import { ensureDatabaseExists, ROOT } from './support.mjs';

export const START_SPLIT = resolve(ROOT, 'dist/scripts/split-stack/start-split.js');

/**
 * Benchmark load comes from one address: start-split's gateway keeps its per-IP limit (20/s as
 * deployed) out of the way with these. The apps' own throttling stays on.
 */
export const UNLIMITED_GATEWAY = {
  SPLIT_GATEWAY_RATE_PER_IP: '1000000',
  SPLIT_GATEWAY_BURST: '1000000',
};
const READY_TIMEOUT_MS = 120_000;

/**
 * Creates the stack's database (on the server of `databaseUrl`) and virtual host; returns the
 * settings start-split.js takes and `remove()`, which drops both.
 */
export async function prepareSplitStack(databaseUrl) {
  const backends = await scratchBackends('orders-split', databaseUrl);
  await ensureDatabaseExists(backends.databaseUrl);
  // Away from the ephemeral range and from the ports the test suites and saga-latency.mjs pick.
  const firstAppPort = 24_000 + Math.floor(Math.random() * 1_000) * 8;
  const gatewayPort = firstAppPort + SPLIT_APPS.length;
  return {
    databaseUrl: backends.databaseUrl,
    firstAppPort,
    gatewayPort,
    environment: {
      DATABASE_URL: backends.databaseUrl,
      RABBITMQ_URL: backends.rabbitmqUrl,
      SPLIT_GATEWAY_PORT: String(gatewayPort),
      SPLIT_FIRST_APP_PORT: String(firstAppPort),
      ...UNLIMITED_GATEWAY,
      // The harness's servers are found by HTTP_PORT: the gateway's is the stack's front door.
      HTTP_PORT: String(gatewayPort),
    },
    remove: () => backends.remove(),
  };
}

/** Waits until every app is ready and the gateway routes to them. */
export async function waitForSplitStack(stack, { firstAppPort, gatewayPort }) {
  const answers = (url) =>
    fetch(url)
      .then(async (response) => {
        await response.arrayBuffer();
        return response.status === 200;
      })
      .catch(() => false);
  for (let waited = 0; waited < READY_TIMEOUT_MS; waited += 250) {
    if (!stack.running()) throw new Error(`the split stack exited:\n${stack.output()}`);
    const ready = await Promise.all([
      ...SPLIT_APPS.map((_, index) =>
        answers(`http://127.0.0.1:${firstAppPort + index}/health/ready`),
      ),
      answers(`http://127.0.0.1:${gatewayPort}/v1/products?limit=1`),
    ]);
    if (ready.every(Boolean)) return;
    await new Promise((wait) => setTimeout(wait, 250));
  }
  throw new Error(`the split stack was not ready within 120 s:\n${stack.output()}`);
}

const commandOf = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined; // ended
  }
};

/** A process and all its descendants (for the stack: start-split, the apps, NGINX), by pid. */
function processTree(rootPid) {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(entry, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      // ended meanwhile
    }
  }
  const tree = new Set([String(rootPid)]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (!tree.has(pid) && tree.has(parent)) grew = tree.add(pid) !== undefined;
    }
  }
  return [...tree];
}

/**
 * The stack's processes now, and a function that SIGKILLs those of them still running the same
 * command later: start-split stops its apps on SIGTERM, but a SIGKILL of start-split alone (a stop
 * that timed out, the harness dying) would leave them running. Read while the tree hangs together.
 */
export function splitStackKiller(rootPid) {
  const processes = processTree(rootPid).map((pid) => ({ pid, command: commandOf(pid) }));
  return () => {
    for (const { pid, command } of processes) {
      if (command === undefined || commandOf(pid) !== command) continue; // ended, or pid reused
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // ended meanwhile
      }
    }
  };
}

/** Resident memory of a process and all its descendants (the stack's apps and NGINX), in MiB. */
export function treeRssMiB(rootPid) {
  let kib = 0;
  for (const pid of processTree(rootPid)) {
    try {
      kib += Number(
        /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0,
      );
    } catch {
      // ended meanwhile
    }
  }
  return kib / 1024;
}
