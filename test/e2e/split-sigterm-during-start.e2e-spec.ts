import { appEntry, REPO_ROOT } from '../../scripts/split-stack/split-stack.js';
import { createTestVhost, deleteTestVhost, rabbitmqUrl } from '../support/rabbitmq-vhost.js';
import { freePort, spawnProcess, type SpawnedProcess } from '../support/spawned-process.js';
import { testAppEnvironment } from '../support/test-environment.js';

// Runs in the e2e-split jest project only (the e2e project ignores test/e2e/split-*): one app of
// the split stack, on RabbitMQ, stopped by SIGTERM before it is ready, while its broker channel is
// still opening. It used to end with exit code 1 on an unhandled "Channel ended" error.

const RUNS = 3;

/** Resolves once the process has written anything, or rejects with its output if it ended. */
async function firstOutput(app: SpawnedProcess): Promise<void> {
  const stdout = app.child.stdout;
  const stderr = app.child.stderr;
  if (!stdout || !stderr) throw new Error('the app was spawned without piped output');
  await new Promise<void>((resolve, reject) => {
    stdout.once('data', () => resolve());
    stderr.once('data', () => resolve());
    app.exited.then(
      (code) => reject(new Error(`the app ended (${code}) before writing:\n${app.logs()}`)),
      reject,
    );
  });
}

describe('split mode: SIGTERM while an app is still starting', () => {
  let vhost: string;

  beforeAll(async () => {
    vhost = await createTestVhost();
  });

  afterAll(async () => {
    await deleteTestVhost(vhost);
  });

  it(`exits 0 when stopped at its first log line (${RUNS} runs)`, async () => {
    for (let run = 1; run <= RUNS; run += 1) {
      const environment = {
        PATH: process.env.PATH ?? '',
        ...testAppEnvironment({
          MESSAGING_TRANSPORT: 'rmq',
          RABBITMQ_URL: rabbitmqUrl(vhost),
          HTTP_PORT: String(await freePort()),
        }),
      };
      const catalog = spawnProcess(process.execPath, [appEntry('catalog')], environment, REPO_ROOT);
      try {
        await firstOutput(catalog);
        const code = await catalog.stop('SIGTERM');

        if (code !== 0) throw new Error(`run ${run} exited ${code}:\n${catalog.logs()}`);
        expect(catalog.logs()).toContain('shutdown complete');
        // The interrupted channel is reported as information, never as an error.
        expect(catalog.logs()).not.toMatch(/"level":"error"[^\n]*"context":"Rmq/);
      } finally {
        await catalog.stop('SIGKILL');
      }
    }
  });
});
