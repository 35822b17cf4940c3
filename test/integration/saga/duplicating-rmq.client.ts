import { setTimeout as sleep } from 'node:timers/promises';
import type { ReadPacket } from '@nestjs/microservices';
import { RmqClient } from '../../../libs/messaging/src/transport/rmq/rmq.client.js';
import type { ResolvedRmqTransportOptions } from '../../../libs/messaging/src/transport/rmq/rmq-topology.js';
import type { MisbehavingBroker } from './misbehaving-broker.js';
import { seededRandom } from './seeded-random.js';

/**
 * The RMQ client of the app under test, made to misbehave on the way to the real broker: every
 * event is published twice, the copy a random while after the original, and each original waits
 * a random moment first, so events the relay sends together reach RabbitMQ in a shuffled order.
 * The publisher's promise settles with the original's confirm, as the relay expects.
 */
export class DuplicatingRmqClient extends RmqClient implements MisbehavingBroker {
  private readonly random: () => number;
  private readonly copiesInFlight = new Set<Promise<unknown>>();
  deliveries = 0;

  constructor(
    options: ResolvedRmqTransportOptions,
    readonly seed: number,
    private readonly maxDelayMs = 50,
  ) {
    super(options);
    this.random = seededRandom(seed);
  }

  get isIdle(): boolean {
    return this.copiesInFlight.size === 0;
  }

  protected override async dispatchEvent(packet: ReadPacket): Promise<unknown> {
    await sleep(this.random() * this.maxDelayMs);
    this.deliveries += 1;
    const confirmed: unknown = await super.dispatchEvent(packet);
    const copy = (async () => {
      await sleep(this.random() * this.maxDelayMs * 4);
      this.deliveries += 1;
      await super.dispatchEvent(packet);
    })()
      // A lost copy is a redelivery that did not happen: nothing to undo.
      .catch(() => undefined)
      .finally(() => this.copiesInFlight.delete(copy));
    this.copiesInFlight.add(copy);
    return confirmed;
  }
}
