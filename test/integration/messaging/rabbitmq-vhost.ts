import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const RABBITMQ_BASE_URL =
  process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A RabbitMQ virtual host of its own: a suite's exchanges and queues never meet another's. */
export interface TestVhost {
  readonly name: string;
  readonly url: string;
  delete(): Promise<void>;
}

export async function createTestVhost(label: string): Promise<TestVhost> {
  const name = `test-${label}-${randomUUID().slice(0, 8)}`;
  await run('rabbitmqctl', ['-q', 'add_vhost', name]);
  await run('rabbitmqctl', ['-q', 'set_permissions', '-p', name, 'guest', '.*', '.*', '.*']);
  return {
    name,
    url: `${RABBITMQ_BASE_URL}/${encodeURIComponent(name)}`,
    delete: async () => {
      await run('rabbitmqctl', ['-q', 'delete_vhost', name]);
    },
  };
}
