import {
  createTestVhost as addVhost,
  deleteTestVhost,
  rabbitmqUrl,
} from '../../support/rabbitmq-vhost.js';

/** A RabbitMQ virtual host of its own: a suite's exchanges and queues never meet another's. */
export interface TestVhost {
  readonly name: string;
  readonly url: string;
  delete(): Promise<void>;
}

/** The support helper's vhost, with its URL and its removal at hand for integration suites. */
export async function createTestVhost(): Promise<TestVhost> {
  const name = await addVhost();
  return { name, url: rabbitmqUrl(name), delete: () => deleteTestVhost(name) };
}
