import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);
const rabbitmqctl = (...args: string[]) => run('rabbitmqctl', ['-q', ...args], { timeout: 30_000 });

/**
 * A RabbitMQ virtual host of its own for one split stack: its queues and exchanges cannot meet
 * another test's, and deleting it removes everything the stack declared.
 */
export async function createTestVhost(): Promise<string> {
  const vhost = `test-${randomUUID().slice(0, 12)}`;
  await rabbitmqctl('add_vhost', vhost);
  await rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
  return vhost;
}

export async function deleteTestVhost(vhost: string): Promise<void> {
  await rabbitmqctl('delete_vhost', vhost);
}

export const rabbitmqUrl = (vhost: string): string =>
  `amqp://guest:guest@127.0.0.1:5672/${encodeURIComponent(vhost)}`;
