import {
  ClientProxy,
  type IncomingResponse,
  type ReadPacket,
  type WritePacket,
} from '@nestjs/microservices';
import { attachMessageMetadata } from '../correlation/message-metadata.js';
import type { InProcessBus } from './in-process-bus.js';
import { routingKeyOf } from './routing-key.js';

/**
 * The client half of the in-process transport, used through the standard `send` / `emit`. What
 * it puts on the bus is the JSON text of the packet, so a handler receives what a broker would
 * deliver: a Date arrives as its ISO string, a class instance as a plain object.
 */
export class InProcessClient extends ClientProxy {
  private connected = false;

  constructor(private readonly bus: InProcessBus) {
    super();
    this.initializeSerializer({});
    this.initializeDeserializer({});
    this.setOnDispatchHook(attachMessageMetadata);
  }

  /**
   * The first time, waits for a server to listen, as a broker client waits for its connection.
   * Afterwards a missing server makes each message fail fast with MESSAGING.UNAVAILABLE instead.
   */
  async connect(): Promise<void> {
    if (this.connected) return;
    await this.bus.whenListening();
    this.connected = true;
    this._status$.next('connected');
  }

  close(): void {
    this._status$.next('disconnected');
  }

  unwrap<T>(): T {
    return this.bus as unknown as T;
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    let open = true;
    const request = this.assignPacketId(packet);
    void (async () => {
      let body: string;
      try {
        body = JSON.stringify(await this.serializer.serialize(request));
      } catch (error) {
        callback({ err: error, isDisposed: true });
        return;
      }
      this.bus.request(
        { routingKey: routingKeyOf(request.pattern), correlationId: request.id, body },
        (reply) => {
          void Promise.resolve(this.deserializer.deserialize(JSON.parse(reply))).then(
            (response: IncomingResponse) => {
              if (open) callback(response);
            },
          );
        },
      );
    })();
    // Called on unsubscribe (the caller's timeout, for one): late replies are dropped.
    return () => {
      open = false;
    };
  }

  protected async dispatchEvent<T = undefined>(packet: ReadPacket): Promise<T> {
    const body = JSON.stringify(await this.serializer.serialize(packet));
    await this.bus.publish({ routingKey: routingKeyOf(packet.pattern), body });
    return undefined as T;
  }
}
