import { InProcessBus } from '#lib/messaging';
import type { MisbehavingBroker } from './misbehaving-broker.js';
import { seededRandom } from './seeded-random.js';

type InProcessMessage = Parameters<InProcessBus['publish']>[0];

interface HeldEvent {
  readonly event: InProcessMessage;
  /** Settles the publisher's promise: the relay marks the outbox row sent once it resolves. */
  readonly settle?: { resolve: () => void; reject: (error: unknown) => void };
}

/**
 * A misbehaving broker for the in-process transport: every event is delivered twice, and events
 * are held and then released in a shuffled order, a redelivered copy often only after events
 * published later. Requests (RPC) pass through untouched.
 *
 * The publisher's promise resolves once the first copy has been handled, as a broker's confirm
 * would; the second copy arrives as a redelivery after the message was already acknowledged.
 */
export class ReorderingBus extends InProcessBus implements MisbehavingBroker {
  private held: HeldEvent[] = [];
  private releasing: Promise<void> | undefined;
  private readonly random: () => number;
  /** Deliveries made, copies included: the test checks that duplicates really happened. */
  deliveries = 0;

  constructor(
    readonly seed: number,
    private readonly holdMs = 20,
  ) {
    super();
    this.random = seededRandom(seed);
  }

  /** Nothing is held and nothing is being delivered. */
  get isIdle(): boolean {
    return this.held.length === 0 && this.releasing === undefined;
  }

  override publish(event: InProcessMessage): Promise<void> {
    if (!this.isListening) return super.publish(event);
    return new Promise<void>((resolve, reject) => {
      this.held.push({ event, settle: { resolve, reject } });
      this.scheduleRelease();
    });
  }

  private scheduleRelease(): void {
    if (this.releasing !== undefined) return;
    this.releasing = (async () => {
      while (this.held.length > 0) {
        // Let a few events gather, so that there is something to reorder.
        await new Promise((resolve) => setTimeout(resolve, this.holdMs));
        await this.releaseBatch(this.held.splice(0));
      }
      this.releasing = undefined;
    })();
  }

  private async releaseBatch(batch: HeldEvent[]): Promise<void> {
    const copies: HeldEvent[] = [];
    for (const held of batch) {
      copies.push(held);
      if (held.settle === undefined) continue; // already the second copy
      const redelivery = { event: held.event };
      // Half of the redeliveries come only after the events published in the meantime.
      if (this.random() < 0.5) copies.push(redelivery);
      else this.held.push(redelivery);
    }
    for (const copy of this.shuffle(copies)) {
      this.deliveries += 1;
      try {
        await super.publish(copy.event);
        copy.settle?.resolve();
      } catch (error) {
        // Nothing durable was recorded for some subscriber: the relay publishes the row again.
        copy.settle?.reject(error);
      }
    }
  }

  private shuffle<T>(items: T[]): T[] {
    for (let index = items.length - 1; index > 0; index -= 1) {
      const other = Math.floor(this.random() * (index + 1));
      [items[index], items[other]] = [items[other], items[index]];
    }
    return items;
  }
}
