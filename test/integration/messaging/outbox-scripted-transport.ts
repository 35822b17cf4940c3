import type { MessageEnvelope } from '#lib/contracts';
import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';

/** What a subscriber does with an event; the publish is confirmed once it settles. */
export type ScriptedSubscriber = (envelope: MessageEnvelope) => Promise<void> | void;

/**
 * A transport whose consumers the test scripts: an emit resolves when the subscriber of the
 * event's type settles, as the in-process transport resolves once its handlers finished. It lets a
 * test hold one consumer busy for as long as it likes, without sleeping, and count what is in
 * flight. Requests are not supported.
 */
export class ScriptedClientProxy extends ClientProxy {
  /** Envelope ids in the order their publish started, redeliveries included. */
  readonly received: string[] = [];
  private running = 0;
  private mostRunning = 0;

  constructor(private readonly subscribers: Readonly<Record<string, ScriptedSubscriber>>) {
    super();
  }

  /** Publishes that have not settled yet. */
  get inFlight(): number {
    return this.running;
  }

  /** The most publishes ever in flight at once. */
  get peakInFlight(): number {
    return this.mostRunning;
  }

  async connect(): Promise<void> {
    // Nothing to connect to.
  }

  close(): void {
    // Nothing to close.
  }

  unwrap<T>(): T {
    throw new Error('the scripted transport has no underlying client');
  }

  protected publish(_packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({ err: new Error('the scripted transport carries events only'), isDisposed: true });
    return () => undefined;
  }

  protected async dispatchEvent<T = undefined>(packet: ReadPacket): Promise<T> {
    const envelope = packet.data as MessageEnvelope;
    const subscriber = this.subscribers[envelope.type];
    if (!subscriber) throw new Error(`no subscriber for ${envelope.type}`);
    this.received.push(envelope.id);
    this.running += 1;
    this.mostRunning = Math.max(this.mostRunning, this.running);
    try {
      await subscriber(envelope);
    } finally {
      this.running -= 1;
    }
    return undefined as T;
  }
}
